"""Every generation of the update imports, from a text file, an e-mail or a web page; doubts are
reported, and a file that yields nothing is a failure."""

import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from networks.models import Meeting, Network
from newsletters.models import Issue, NewsItem

from .test_import_support import SEED, headline_titles, issue, reminder_titles, run_import

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "samples" / "update-2023-format.txt"
STORY = (
    "UPDATE NO {number} 10 March 2023\n\n"
    "Regional café network launched\n\n"
    "The new network met on 1 March and agreed its plan for the year ahead with all members.\n"
)


def test_the_2023_sample_imports_with_every_item_in_place():
    result = run_import(SAMPLE)
    assert not result.failed, result.err
    assert issue(612).date == datetime.date(2024, 4, 19)
    assert headline_titles(612) == [
        "Speech and language screening in the early years: a practice review",
        "Regional workshop on family help",
        "Kinship carers: new guidance for local authorities",
    ]
    assert reminder_titles(612) == ["Peer review of early help: call for volunteers"]


def test_a_2023_item_keeps_its_sub_heading_and_bullets():
    run_import(SAMPLE)
    item = NewsItem.objects.get(title__startswith="Speech and language")
    assert "<p>Key findings</p><ul><li>Screening is most often done" in item.update_text
    assert item.update_text.endswith("<p>The full review is here (pdf 48 pages)</p>")


def test_the_2023_meeting_list_is_one_line_per_network_and_a_network_without_a_date_is_no_meeting():
    run_import(SAMPLE)
    meetings = [(m.network.name, m.date, m.start_time) for m in Meeting.objects.order_by("date")]
    assert meetings == [
        ("AD Safeguarding", datetime.date(2024, 5, 10), datetime.time(10, 0)),
        ("Data Benchmarking", datetime.date(2024, 5, 21), datetime.time(14, 0)),
    ]
    assert Network.objects.filter(name="Principal Social Workers").exists()


def test_the_2023_intro_and_improvement_plan():
    run_import(SAMPLE)
    update = issue(612)
    assert (
        update.improvement_plan == "Our Regional Improvement Plan for 2024-2025 can be found here"
    )
    assert update.intro.startswith("If you have any news that you would like included")


def test_a_file_with_no_items_fails_and_writes_nothing(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("UPDATE NO 700 10 March 2023\n\nThank you for reading.\n")
    result = run_import(path)
    assert result.failed
    assert "empty.txt:1: error: found no news items in this update" in result.err
    assert not Issue.objects.exists()


def test_the_command_exits_with_status_1_for_a_file_with_no_items(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("UPDATE NO 700 10 March 2023\n\nThank you for reading.\n")
    with pytest.raises(CommandError) as failure:
        call_command("import_updates", str(path))
    assert failure.value.returncode == 1


def test_the_same_number_twice_in_one_run_refuses_the_second_file_naming_both(tmp_path):
    (tmp_path / "a.txt").write_text(STORY.format(number=701))
    (tmp_path / "b.txt").write_text(STORY.format(number=701).replace("café", "tea"))
    result = run_import(tmp_path)
    assert result.failed
    assert f"b.txt:1: error: update 701 is also in {tmp_path / 'a.txt'}" in result.err
    assert NewsItem.objects.get().title == "Regional café network launched"


def test_a_title_with_nothing_under_it_at_the_end_is_reported(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(
        STORY.format(number=702)
        + "\nAction Required:\n\nPlease reply to the survey.\n\nOfsted framework changes\n"
    )
    result = run_import(path)
    assert (
        "cut.txt:11: warning: “Ofsted framework changes” could be a title with nothing under"
        in (result.err)
    )


def test_an_update_saved_as_a_web_page_imports_with_its_links(tmp_path):
    path = tmp_path / "update.html"
    path.write_text(
        "<html><head><title>Update</title></head><body>"
        "<p>UPDATE&nbsp;NO 703 10 March 2023</p>"
        "<h2>Regional café network launched</h2>"
        "<p>The new network met and agreed its plan. Read it "
        '<a href="https://example.org/plan">here</a>.</p>'
        "<ul><li>First point</li><li>Second point</li></ul>"
        "</body></html>"
    )
    result = run_import(path)
    assert not result.failed, result.err
    item = NewsItem.objects.get()
    assert item.title == "Regional café network launched"
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">here</a>.' in (
        item.update_text
    )
    assert "<ul><li>First point</li><li>Second point</li></ul>" in item.update_text


def test_an_email_imports_from_its_plain_text_part(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Update 349"
    message.set_content(SEED[349].read_text(encoding="utf-8"))
    message.add_alternative("<p>Not this part</p>", subtype="html")
    path = tmp_path / "update.eml"
    path.write_bytes(bytes(message))
    result = run_import(path)
    assert not result.failed, result.err
    assert headline_titles(349)[0] == "Children not in school – DfE Consultation"


def test_an_email_with_only_html_imports_from_it(tmp_path):
    message = EmailMessage()
    message.set_content(
        "<p>UPDATE NO 704 10 March 2023</p><p><b>Regional café network launched</b></p>"
        "<p>The new network met and agreed its plan for the year ahead with all members.</p>",
        subtype="html",
    )
    path = tmp_path / "update.eml"
    path.write_bytes(bytes(message))
    result = run_import(path)
    assert not result.failed, result.err
    assert headline_titles(704) == ["Regional café network launched"]


def test_non_breaking_spaces_are_not_kept_in_titles(tmp_path):
    path = tmp_path / "nbsp.txt"
    path.write_text(STORY.format(number=705).replace("café network", "café\u00a0network"))
    run_import(path)
    assert NewsItem.objects.get().title == "Regional café network launched"


def test_an_item_belongs_to_the_networks_it_names_or_whose_convener_it_sends_readers_to(tmp_path):
    path = tmp_path / "networks.txt"
    path.write_text(
        "UPDATE NO 706 10 March 2023\n\n"
        "Safeguarding leads meet\n\n"
        "The AD safeguarding network met on 1 March and agreed its plan for the year ahead.\n\n"
        "Data returns\n\n"
        "Alastair Lee will present the returns at the next meeting; please send yours in.\n\n"
        "Future dates for network meetings\n\n"
        "AD Safeguarding: Friday 17 March 2023 10:00am. More from Mark Evans (contact details below)\n\n"
        "Data Benchmarking: Friday 24 March 2023 10:00am. More from Alastair Lee (contact details below)\n"
    )
    result = run_import(path)
    assert not result.failed, result.err
    networks = {
        item.title: sorted(n.name for n in item.networks.all()) for item in NewsItem.objects.all()
    }
    assert networks == {
        "Safeguarding leads meet": ["AD Safeguarding"],
        "Data returns": ["Data Benchmarking"],
    }


OUTLOOK_HTML = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head>"
    '<meta http-equiv=Content-Type content="text/html; charset=windows-1252">'
    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml>"
    "<![endif]--><style>p.MsoNormal {margin:0cm;}</style></head>"
    "<body lang=EN-GB><div class=WordSection1>"
    "<p class=MsoNormal><b>UPDATE NO 707 10 March 2023<o:p></o:p></b></p>"
    "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
    "<p class=MsoNormal><b><span style='font-size:12.0pt'>Regional caf\xe9 network launched"
    "<o:p></o:p></span></b></p>"
    "<p class=MsoNormal>The new network met and agreed the authorities’ plan for the year. "
    "Read it <a href=\"https://example.org/plan\"><span style='color:#0563C1'>here</span></a>."
    "<o:p></o:p></p>"
    "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]>"
    "<span style='font-family:Symbol'>\xb7<span style='font:7.0pt \"Times New Roman\"'>"
    "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>First point<o:p></o:p></p>"
    "<p class=MsoNormal>Please send your nominations before 24 March 2023.<o:p></o:p></p>"
    "</div></body></html>"
)


def test_an_update_saved_as_html_from_a_mail_client_imports_with_its_links(tmp_path):
    path = tmp_path / "Update 707.htm"
    path.write_bytes(OUTLOOK_HTML.encode("cp1252"))

    result = run_import(path)

    assert not result.failed, result.err
    item = NewsItem.objects.get()
    assert item.title == "Regional café network launched"
    assert "the authorities’ plan for the year" in item.update_text
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">here</a>' in (
        item.update_text
    )
    assert "First point" in item.update_text
    assert [a.due_date for a in item.actions.all()] == [datetime.date(2023, 3, 24)]
