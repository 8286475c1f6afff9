"""The English translation: language negotiation, English pages, and a complete catalogue.

The msgids are the Simplified Chinese UI text; `locale/en/LC_MESSAGES/django.po` holds the
English, and the compiled `django.mo` is committed because CI has no GNU gettext.
"""

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from registry.errors import IllegalTransition
from registry.models import ObjectionStatus, RegistrationStatus
from registry.views.common import ACTION_LABELS, transition_message, translate_message

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def visible_text(body: str) -> str:
    """The page's text without markup, and without the language menu, whose option for
    Chinese is rightly written in Chinese in every language."""
    body = re.sub(r"<select name=\"language\".*?</select>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def recent():
    return timezone.now() - dt.timedelta(hours=1)


# --- Language negotiation ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_language_is_simplified_chinese(client):
    body = client.get(reverse("login")).content.decode()

    assert '<html lang="zh-hans">' in body
    assert "用户名" in body
    assert "登记公示" in body
    assert "Username" not in body


@pytest.mark.django_db
def test_the_language_cookie_renders_the_home_page_in_english(client):
    body = english(client).get(reverse("home")).content.decode()

    assert '<html lang="en">' in body
    assert "Public Data Resource Registration and Open Data Platform" in body
    assert ">Home<" in body
    assert "Registration notices" in body
    assert "Log in" in body
    assert "Interim Measures for the Administration of Public Data Resource Registration" in body
    assert "登记公示" not in body


@pytest.mark.django_db
def test_accept_language_english_renders_the_login_page_in_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert '<label for="id_username">Username</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert '<button type="submit">Log in</button>' in body


@pytest.mark.django_db
def test_the_english_login_page_has_no_chinese_text_left(client):
    text = visible_text(english(client).get(reverse("login")).content.decode())

    assert CJK.findall(text) == []


def test_the_english_notice_list_shows_english_labels_and_plurals(client, world):
    world.in_notice(now=recent(), name="佛山市道路运输许可数据")

    response = client.get(reverse("registry:notice-list"), HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Public notice of public data resource registrations" in body
    assert "1 notice" in body
    assert "Initial registration" in body
    assert "working days" in body
    assert "佛山市道路运输许可数据" in body  # data stays as entered
    assert "首次登记" not in body


@pytest.mark.django_db
def test_the_empty_english_notice_list_says_so_in_english(client):
    body = english(client).get(reverse("registry:notice-list")).content.decode()

    assert "No registration applications are in public notice at present." in body
    assert "当前没有正在公示的登记申请" not in body


@pytest.mark.django_db
def test_an_unsupported_accept_language_falls_back_to_chinese(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in body
    assert "用户名" in body


@pytest.mark.django_db
def test_posting_to_setlang_switches_to_english_and_back(client):
    notices = reverse("registry:notice-list")

    response = client.post(reverse("set_language"), {"language": "en", "next": notices})

    assert response.status_code == 302
    assert response["Location"] == notices
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(notices).content.decode()
    assert '<html lang="en">' in body
    assert "Public notice of public data resource registrations" in body

    client.post(reverse("set_language"), {"language": "zh-hans", "next": notices})

    body = client.get(notices).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "公共数据资源登记公示" in body


@pytest.mark.django_db
def test_setlang_ignores_an_unknown_language_and_an_offsite_next(client):
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert '<html lang="zh-hans">' in client.get(reverse("login")).content.decode()


# --- Messages that come from Python -------------------------------------------------------


def test_service_messages_are_chinese_in_chinese_and_english_in_english():
    with translation.override("zh-hans"):
        assert translate_message("This field is required.") == "此项为必填项。"
        assert translate_message("At most 200 characters.") == "最多 200 个字符。"
    with translation.override("en"):
        assert translate_message("This field is required.") == "This field is required."
        assert translate_message("At most 200 characters.") == "At most 200 characters."
        assert (
            translate_message("Reviewers never decide on their own filing.")
            == "Reviewers may not decide on applications filed by themselves or by their own "
            "organisation."
        )


def test_an_unknown_service_message_is_shown_as_it_is_in_both_languages():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert translate_message("Something new went wrong.") == "Something new went wrong."


def test_a_refused_transition_reads_as_english_sentences():
    exc = IllegalTransition(action="accept", current="draft", allowed=["submit", "withdraw"])

    with translation.override("en"):
        text = transition_message(exc)
    with translation.override("zh-hans"):
        chinese = transition_message(exc)

    assert text == (
        "The action was not carried out: the current status is “Draft”. "
        "Available actions: Submit application, Withdraw application."
    )
    assert chinese == "操作未执行：当前状态为“草稿”。当前可办理：提交申请、撤回申请。"


def test_statuses_and_the_actions_that_lead_to_them_read_differently_in_english():
    with translation.override("en"):
        assert str(RegistrationStatus.RETURNED.label) == "Returned for revision"
        assert str(ACTION_LABELS["return"]) == "Return for revision"
        assert str(RegistrationStatus.NOT_ACCEPTED.label) == "Not accepted"
        assert str(ObjectionStatus.UPHELD.label) == "Upheld"
        assert str(ACTION_LABELS["uphold_objection"]) == "Uphold objection"
    with translation.override("zh-hans"):
        assert str(RegistrationStatus.RETURNED.label) == "退回修改"
        assert str(ACTION_LABELS["return"]) == "退回修改"


def test_a_refused_objection_is_explained_in_the_users_language(client, world):
    reg = world.in_notice(now=timezone.now() - dt.timedelta(days=60))
    client.force_login(world.citizen)
    url = reverse("registry:notice-detail", args=[reg.pk])

    english_body = (
        english(client).post(url, {"reason": "Late objection"}, follow=True).content.decode()
    )

    assert "The public notice period has ended; objections can no longer be filed." in (
        english_body
    )
    assert "公示期已结束" not in english_body


# --- The catalogue ------------------------------------------------------------------------


def _unquote(line: str) -> str:
    return line[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (index → text), flags.
    Obsolete (#~) entries and the header are left out."""
    entries, entry, field = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line:
            if entry and entry["msgid"]:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": []}
        if line.startswith("#,"):
            entry["flags"] += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, value = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                field = ("msgstr", int(match[1]) if match else 0)
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(CATALOGUE / "django.po")


def test_the_catalogue_is_large_enough_to_be_the_real_one(po_entries):
    assert len(po_entries) > 400


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy(po_entries):
    untranslated = [e["msgid"] for e in po_entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]

    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in po_entries if e["msgid_plural"] is not None]

    assert plurals
    assert [e["msgid"] for e in plurals if sorted(e["msgstr"]) != [0, 1]] == []


def test_translations_keep_every_placeholder_of_their_msgid(po_entries):
    broken = []
    for e in po_entries:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                broken.append((e["msgid"], text))

    assert broken == []


def test_no_english_translation_is_left_in_chinese(po_entries):
    """Chinese in a msgstr means a copied msgid or a half-done translation (names of laws
    and standards are translated too)."""
    assert [
        e["msgid"] for e in po_entries if any(CJK.search(t) for t in e["msgstr"].values())
    ] == []


def test_the_compiled_catalogue_holds_every_entry_of_the_po_file(po_entries):
    """A stale django.mo (compilemessages forgotten after editing the .po) fails here: CI has
    no gettext, so the committed .mo is what English users get."""
    with (CATALOGUE / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in po_entries:
        if e["msgid_plural"] is not None:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            want = [e["msgstr"][0], e["msgstr"][1]]
        elif e["msgctxt"] is not None:
            got, want = mo.pgettext(e["msgctxt"], e["msgid"]), e["msgstr"][0]
        else:
            got, want = mo.gettext(e["msgid"]), e["msgstr"][0]
        if got != want:
            stale.append(e["msgid"])

    assert stale == []
    assert mo.info()["language"] == "en"


def test_there_are_no_javascript_strings_needing_a_djangojs_catalogue():
    """The scripts carry no UI text; if one starts to, it needs gettext() and djangojs.po."""
    comments = re.compile(r"/\*.*?\*/|^\s*//.*?$", re.S | re.M)
    scripts = (Path(settings.BASE_DIR) / "static" / "js").rglob("*.js")
    code = {p.name: comments.sub("", p.read_text(encoding="utf-8")) for p in scripts}

    assert [name for name, text in code.items() if CJK.search(text)] == []
