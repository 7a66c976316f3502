"""The publication date from the article header: labelled stamps, header lines near the headline (a date
beside a weather widget is the site's "today"), then the lede."""

from __future__ import annotations

import re

from newsline.clean.published import find_dates, published_from_lines
from newsline.clean.text.cues import _WEATHER, _WORD
from newsline.clean.text.features import Page
from newsline.clean.text.headline import _headline_shaped

# How far above the headline a labelled publication stamp is still read as the article's (header lines
# of menus, breadcrumbs and tool bars commonly stand between a masthead stamp and the headline).
_STAMP_REACH = 8
# a date labelled as the article's publication or revision: the label the page prints right before it
_STAMP = re.compile(
    r"\b(?:(?:last |first )?(?:updated?|published|posted|modified|revised)(?: (?:on|at))?|"
    r"publicado|actualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato|"
    r"gepubliceerd|bijgewerkt|publicerad|publiceret|julkaistu|opublikowano|опубликовано|обновлено)"
    r"\s*(?:[:|–—-]\s*)?(?:\w+\W{0,2}\s*){0,3}$",
    re.I,
)


def _stamped(text: str) -> bool:
    """The line's first date is introduced by a publication label ("Last updated 29 Oct 2025, 18:05")."""
    dates = find_dates(text)
    return bool(dates) and bool(_STAMP.search(text[:dates[0].start]))


def _date_leads(text: str) -> bool:
    """The line's first date comes before any headline-length stretch of words (a meta line, not a teaser)."""
    dates = find_dates(text)
    return bool(dates) and len(_WORD.findall(text[:dates[0].start])) < 5


def _published(page: Page, a: int, lang: str | None):
    """Header lines near the headline first (after it, then just above it), then the lede; `a` is where the
    article header ends, `lang` the body's language.

    A date beside (or inside) a weather widget is the site's "today", not the article's date; a date line
    in another language than the body is still read (in its own language) when it sits in the header.
    """
    lines, keep, title_idx, text = page.lines, page.keep, page.title_idx, page.text
    def weather(j: int) -> bool:
        return 0 <= j < len(lines) and (lines[j].reason == "weather" or bool(_WEATHER.search(lines[j].text)))

    def header_like(j: int) -> bool:
        ln = lines[j]
        # a date line, a byline or another short header line; a headline-length line with a date is a
        # teaser for another story, and a link line points elsewhere
        return (ln.dateline or len(ln.words) <= 8 or len(ln.words) <= 24 and _date_leads(ln.text)) \
            and ln.reason != "link line"

    def usable(j: int) -> bool:
        # a bare date beside a weather widget is the day the page was served; a date the page labels as
        # the article's own ("Last updated …", "Published …") is evidence wherever the header puts it
        return header_like(j) and (_stamped(lines[j].text) or not (weather(j - 1) or weather(j) or weather(j + 1)))

    def stamped_far(j: int) -> bool:
        # under another headline it is the stamp of a teaser card for another story
        card = j > 0 and lines[j - 1].cls != "chrome" and _headline_shaped(lines[j - 1]) and len(lines[j - 1].words) >= 4
        return header_like(j) and _stamped(lines[j].text) and not card

    def item(j: int) -> tuple[str, str | None]:
        ln = lines[j]
        return ln.text, (ln.foreign if ln.foreign and ln.foreign != "und" else lang)

    header: list[tuple[str, str | None]] = []
    if title_idx is not None:
        header += [item(j) for j in range(title_idx + 1, a) if usable(j)]
        header += [item(j) for j in range(title_idx - 1, max(-1, title_idx - 4), -1) if usable(j)]
        # a labelled stamp further up the header (above the menus and widgets between it and the headline)
        header += [item(j) for j in range(title_idx - 4, max(-1, title_idx - _STAMP_REACH - 1), -1)
                   if stamped_far(j)]
    else:
        header += [item(j) for j in range(a - 1, max(-1, a - 7), -1) if usable(j)]
        header += [item(j) for j in range(a - 7, max(-1, a - _STAMP_REACH - 4), -1) if stamped_far(j)]
    lede = [lines[k].text for k in sorted(keep)[:2]]
    return published_from_lines(header, lede, text, lang)
