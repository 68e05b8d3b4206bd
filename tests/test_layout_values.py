"""Cell values understood (layout/values.py): time limits, channels, methods and lists."""

from __future__ import annotations

import pytest

from catalog_graph.layout.values import parse_time_limit, split_channels, split_list, split_methods


def test_within_working_days() -> None:
    limit = parse_time_limit("自该信息形成或者变更之日起20个工作日内")
    assert (limit.kind, limit.days, limit.working_days) == ("within_days", 20, True)


@pytest.mark.parametrize(("text", "days"), [("15日内", 15), ("十五个工作日", 15), ("7天内", 7),
                                            ("２０个工作日内", 20)])
def test_within_days_in_any_numerals(text: str, days: int) -> None:
    limit = parse_time_limit(text)
    assert (limit.kind, limit.days) == ("within_days", days)


def test_calendar_days_are_not_working_days() -> None:
    assert parse_time_limit("收到后十五个自然日内").working_days is False


@pytest.mark.parametrize("text", ["实时更新", "即时", "随时公开"])
def test_realtime(text: str) -> None:
    assert parse_time_limit(text).kind == "realtime"


@pytest.mark.parametrize(("text", "deadline"), [("每年1月31日前", "01-31"), ("每年3月底前", "03-31"),
                                                ("每年2月底前", "02-28")])
def test_an_annual_deadline(text: str, deadline: str) -> None:
    limit = parse_time_limit(text)
    assert (limit.kind, limit.deadline) == ("annual_deadline", deadline)


def test_the_first_form_written_wins() -> None:
    assert parse_time_limit("实时更新，最迟20个工作日内").kind == "realtime"


def test_a_month_is_no_day_count() -> None:
    assert parse_time_limit("3月15日公开").kind == "other"  # not 15 days


def test_anything_else_is_other_and_empty_is_none() -> None:
    assert parse_time_limit("按规定公开").kind == "other"
    assert parse_time_limit("  ") is None
    assert parse_time_limit(None) is None


def test_time_limit_text_is_kept_with_white_space_folded() -> None:
    assert parse_time_limit("20个\n工作日内").text == "20个 工作日内"


def test_ticked_channels_count_and_unticked_are_dropped() -> None:
    assert split_channels("■政府网站 □政务新媒体 ■公示栏") == ["政府网站", "公示栏"]
    assert split_channels("☑政府网站☐政务新媒体") == ["政府网站"]


def test_named_channels_without_boxes() -> None:
    assert split_channels("政府网站、村公示栏；政府网站") == ["政府网站", "村公示栏"]
    assert split_channels("") == []


def test_methods_as_text() -> None:
    assert split_methods("主动公开") == ["主动"]
    assert split_methods("依申请、主动") == ["依申请", "主动"]
    assert split_methods("主动公开和依申请公开") == ["主动", "依申请"]
    assert split_methods("其他") == ["其他"]


def test_a_list_cell() -> None:
    assert split_list("全社会、特定群众") == ["全社会", "特定群众"]
    assert split_list("√全社会 √全社会") == ["全社会"]
    assert split_list(None) == []
