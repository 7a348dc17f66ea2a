"""Thai helpers: B.E. dates as people type and print them, Thai digits, fiscal years, baht."""

from datetime import date, datetime

import pytest

import thai

# -- parsing what people type -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "27/10/2568",
        "๒๗/๑๐/๒๕๖๘",
        "27 ตุลาคม 2568",
        "27 ต.ค. 2568",
        "๒๗ ตุลาคม ๒๕๖๘",
        "27 ตุลาคม พ.ศ. 2568",
        "  27 / 10 / 2568 ",
        "27.10.2568",
        "27-10-2568",
        "2025-10-27",  # ISO, as a browser's date picker sends it
        "27/10/2025",  # a C.E. year typed by habit
    ],
)
def test_parse_date_reads_the_ways_people_type_a_date(typed):
    assert thai.parse_date(typed) == date(2025, 10, 27)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "กรุณาระบุวันที่"),
        ("   ", "กรุณาระบุวันที่"),
        ("พรุ่งนี้", "รูปแบบวันที่ไม่ถูกต้อง ให้พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 27/10/2568"),
        ("27/10/68", "รูปแบบวันที่ไม่ถูกต้อง ให้พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 27/10/2568"),
        ("27/10", "รูปแบบวันที่ไม่ถูกต้อง ให้พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 27/10/2568"),
        ("27 ตุลา 2568", "ไม่รู้จักชื่อเดือนนี้ ให้ใช้ชื่อเดือนภาษาไทย เช่น ตุลาคม หรือ ต.ค."),
        ("27 October 2568", "ไม่รู้จักชื่อเดือนนี้ ให้ใช้ชื่อเดือนภาษาไทย เช่น ตุลาคม หรือ ต.ค."),
        ("32/10/2568", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("27/13/2568", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("0/10/2568", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("31/04/2568", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("29/02/2568", "ไม่มีวันที่นี้ในปฏิทิน"),  # 2025 is not a leap year
        ("29/02/2566", "ไม่มีวันที่นี้ในปฏิทิน"),  # nor is 2023
        ("27/10/1800", "ปีไม่ถูกต้อง ให้ใช้ปีพุทธศักราช เช่น 2568"),
        ("27/10/9999", "ปีไม่ถูกต้อง ให้ใช้ปีพุทธศักราช เช่น 2568"),
    ],
)
def test_parse_date_refuses_bad_input_in_thai(typed, message):
    with pytest.raises(ValueError) as refused:
        thai.parse_date(typed)
    assert str(refused.value) == message


def test_29_february_exists_in_a_leap_year():
    assert thai.parse_date("29/02/2567") == date(2024, 2, 29)
    assert thai.parse_date("๒๙ ก.พ. ๒๕๖๗") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("month_name", "month"),
    [
        *((name, i) for i, name in enumerate(thai.MONTHS, start=1)),
        *((abbr, i) for i, abbr in enumerate(thai.MONTHS_ABBR, start=1)),
    ],
)
def test_every_month_name_and_abbreviation_is_understood(month_name, month):
    assert thai.parse_date(f"1 {month_name} 2568") == date(2025, month, 1)


# -- printing -----------------------------------------------------------------------------------


def test_format_date_prints_the_memo_date_in_thai_digits():
    assert thai.format_date(date(2025, 10, 27)) == "๒๗ ตุลาคม ๒๕๖๘"
    assert thai.format_date(date(2025, 10, 27), thai_digits=False) == "27 ตุลาคม 2568"
    assert thai.format_date(date(2025, 10, 5), thai_digits=False) == "5 ตุลาคม 2568"  # no 0
    assert thai.format_date(date(2025, 10, 27), short=True) == "๒๗ ต.ค. ๖๘"
    assert thai.format_date(None) == ""


def test_dates_print_as_pythainlps_thai_strftime_prints_them():
    # thai.py formats dates itself (a page prints dozens; thai_strftime cost ~20 us each): it
    # must print what pythainlp's Thai strftime does, every day of a leap year and beyond
    from datetime import timedelta

    from pythainlp.util import thai_strftime

    day, moments = date(2023, 12, 25), []
    while day <= date(2025, 1, 5):
        moments.append(datetime(day.year, day.month, day.day, day.day % 24, day.month * 4))
        day += timedelta(days=1)
    moments += [datetime(1999, 1, 9, 0, 0), datetime(2457, 3, 1, 23, 59)]  # B.E. 2542, 3000
    for moment in moments:
        for thai_digits in (True, False):
            long, short = (thai_strftime(moment, f, thaidigit=thai_digits)
                           for f in ("%-d %B %Y", "%-d %b %y"))  # fmt: skip
            stamp = thai_strftime(moment, "%-d %B %Y เวลา %H:%M น.", thaidigit=thai_digits)
            assert thai.format_date(moment.date(), thai_digits) == long
            assert thai.format_date(moment.date(), thai_digits, short=True) == short
            assert thai.format_datetime(moment, thai_digits) == stamp


def test_format_datetime_reads_like_a_thai_timestamp():
    moment = datetime(2025, 10, 27, 14, 5)
    assert thai.format_datetime(moment, thai_digits=False) == "27 ตุลาคม 2568 เวลา 14:05 น."
    assert thai.format_datetime(moment) == "๒๗ ตุลาคม ๒๕๖๘ เวลา ๑๔:๐๕ น."


def test_input_dates_round_trip():
    for day in (date(2025, 10, 27), date(2024, 2, 29), date(2026, 1, 1)):
        typed = thai.format_input_date(day)
        assert thai.parse_date(typed) == day
    assert thai.format_input_date(date(2025, 10, 27)) == "27/10/2568"


def test_digits_convert_both_ways_and_leave_other_text_alone():
    assert thai.to_thai_digits("สร 83201/1180 โทร. 044-569109") == "สร ๘๓๒๐๑/๑๑๘๐ โทร. ๐๔๔-๕๖๙๑๐๙"
    assert thai.to_arabic_digits("ที่ ๒๔๕/๒๕๖๘") == "ที่ 245/2568"
    assert thai.digits("93.57", thai=True) == "๙๓.๕๗"
    assert thai.digits("๙๓.๕๗", thai=False) == "93.57"
    assert thai.to_arabic_digits(thai.to_thai_digits("0123456789")) == "0123456789"


# -- fiscal years and quarters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fiscal_year", "quarter"),
    [
        (date(2025, 9, 30), 2568, 4),  # the last day of fiscal year 2568
        (date(2025, 10, 1), 2569, 1),  # the first day of fiscal year 2569
        (date(2025, 12, 31), 2569, 1),
        (date(2026, 1, 1), 2569, 2),
        (date(2026, 3, 31), 2569, 2),  # the end of the 6-month round
        (date(2026, 4, 1), 2569, 3),
        (date(2026, 6, 30), 2569, 3),
        (date(2026, 7, 1), 2569, 4),
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
    ],
)
def test_fiscal_year_and_quarter_boundaries(day, fiscal_year, quarter):
    assert thai.fiscal_year(day) == fiscal_year
    assert thai.fiscal_quarter(day) == quarter


def test_fiscal_year_bounds():
    assert thai.fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    start, end = thai.fiscal_year_bounds(2568)
    assert thai.fiscal_year(start) == thai.fiscal_year(end) == 2568


def test_be_year():
    assert thai.be_year(2025) == 2568


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1500, "หนึ่งพันห้าร้อยบาทถ้วน"),
        (21, "ยี่สิบเอ็ดบาทถ้วน"),
        (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (250000.50, "สองแสนห้าหมื่นบาทห้าสิบสตางค์"),
    ],
)
def test_bahttext_writes_amounts_as_on_a_cheque(amount, words):
    assert thai.bahttext(amount) == words


@pytest.mark.parametrize(
    "kept",
    [
        "SHA-256",
        "278aed9c0b1f2e3d4c5b6a79881726354453627180abcdef",
        "K7M3QX9P",
        "https://www.srisuk.go.th/ita/2569/o25.pdf",
        "www.srisuk.go.th/news/12",
        "saraban1@srisuk.go.th",
    ],
)
def test_hashes_codes_and_addresses_keep_their_digits_in_thai_digit_text(kept):
    assert thai.to_thai_digits(f"ปี 2569 {kept} ข้อ 3") == f"ปี ๒๕๖๙ {kept} ข้อ ๓"


def test_question_codes_and_document_numbers_take_thai_digits_as_the_seeds_print_them():
    assert thai.to_thai_digits("O25 i15 e3") == "O๒๕ i๑๕ e๓"
    assert thai.to_thai_digits("สร 83201/1180") == "สร ๘๓๒๐๑/๑๑๘๐"
    assert thai.to_thai_digits("ITA 2568 โทร 0812345678") == "ITA ๒๕๖๘ โทร ๐๘๑๒๓๔๕๖๗๘"
