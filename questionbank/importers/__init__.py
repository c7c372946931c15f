"""Pure parsers of question documents (no database): each returns drafts and line-numbered errors."""
