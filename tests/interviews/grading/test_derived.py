"""Points derived from reference answers: key statements, one set per reference, never a union."""

from __future__ import annotations

from interviews.grading.derived import criteria_from_references


def test_points_of_one_reference_are_its_key_statements_without_repeats() -> None:
    criteria = criteria_from_references(
        ["错误。栈中元素可以从栈顶逐个出栈，最后删除栈底元素。栈中元素可以从栈顶逐个出栈。"]
    )
    assert [c.description for c in criteria] == ["错误", "栈中元素可以从栈顶逐个出栈", "最后删除栈底元素"]
    assert all(c.terms == () and c.alternative == 0 for c in criteria)
    # The verdict weighs half an explaining statement.
    assert [c.points for c in criteria] == [1, 2, 2]
    assert {c.points for c in criteria_from_references(["栈是后进先出的线性表。只能在栈顶插入和删除。"])} == {
        1
    }


def test_several_references_give_one_set_of_points_each() -> None:
    criteria = criteria_from_references(
        ["错误。栈中元素可以从栈顶逐个出栈。", "", "当栈中只有一个元素时，栈底元素就是栈顶元素。"]
    )
    by_set: dict[int, list[str]] = {}
    for c in criteria:
        by_set.setdefault(c.alternative, []).append(c.description)
    assert by_set[1] == ["错误", "栈中元素可以从栈顶逐个出栈"]
    assert by_set[2] == ["当栈中只有一个元素时，栈底元素就是栈顶元素"]
    assert len({c.id for c in criteria}) == len(criteria)


def test_enumerations_split_statements_but_numbers_inside_formulas_do_not() -> None:
    criteria = criteria_from_references(["①插入平均移动 n/2 个元素；②时间复杂度为 O(1.5n)"])
    assert [c.description for c in criteria] == ["插入平均移动 n/2 个元素", "时间复杂度为 O(1.5n)"]


def test_a_number_in_a_sequence_is_no_enumeration() -> None:
    """ "6、" in "3、6、9" is an item of the sequence, not the sixth point: only a number opening a piece
    numbers one ("1、丙", after a full stop or a line break)."""
    reference = "进栈次序为3、6、9、...、3n，出栈序列即为3n、3n-3、...、6、3。1、丙；2、丁"
    criteria = criteria_from_references([reference])
    assert [c.description for c in criteria] == [
        "进栈次序为3、6、9、...、3n",
        "出栈序列即为3n、3n-3、...、6、3",
        "丙",
        "丁",
    ]


def test_a_complexity_is_no_enumeration() -> None:
    """ "(1)" after a letter is the argument of O(1), not the first item of a list: the statement keeps it."""
    criteria = criteria_from_references(["(1) 双链表可以删除，时间复杂度为 O(1)。(2) 循环单链表为 O（n）"])
    assert [c.description for c in criteria] == ["双链表可以删除", "时间复杂度为 O(1)", "循环单链表为 O（n）"]


def test_a_condition_place_or_label_is_read_with_the_statement_it_opens() -> None:
    """On its own, "等概率前提下" would be a point that any clause sounding alike meets ("参观要提前预约")."""
    criteria = criteria_from_references(
        [
            "等概率前提下，插入平均移动 n/2 个元素。而在链表中，只需修改指针。顺序表：元素连续存放。"
            "在顺序表中按下标直接访问。当表为空时"
        ]
    )
    assert [c.description for c in criteria] == [
        "等概率前提下，插入平均移动 n/2 个元素",
        "而在链表中，只需修改指针",
        "顺序表：元素连续存放",
        "在顺序表中按下标直接访问",  # a statement that merely begins with 在 stays one
        "当表为空时",  # nothing follows it: kept as it is
    ]


def test_a_statement_with_another_result_is_kept_and_a_condition_opens_the_next() -> None:
    reference = (
        "等概率时删除一个元素平均移动 (n-1)/2 个元素。"
        "若删除第 i 个元素的概率与 i 成正比，平均移动 (n-1)/3 个元素。"
    )
    assert [c.description for c in criteria_from_references([reference])] == [
        "等概率时删除一个元素平均移动 (n-1)/2 个元素",
        "若删除第 i 个元素的概率与 i 成正比，平均移动 (n-1)/3 个元素",
    ]
