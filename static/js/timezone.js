// Tells the server this browser's time zone (config/middleware.py TimeZoneMiddleware), so that the times on
// the pages are the candidate's own: a cookie, set again only when the zone changes.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  // IANA names ("America/Sao_Paulo", "Etc/GMT+3") need no escaping, and the server reads the cookie as is.
  if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
  var wanted = "tz=" + zone;
  if (document.cookie.split("; ").indexOf(wanted) === -1) {
    document.cookie = wanted + "; path=/; max-age=31536000; samesite=lax";
  }
})();
