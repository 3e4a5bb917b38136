"""The pages in a real browser: Debian's headless Chromium, driven by Playwright, against the
production server on 127.0.0.1. Screenshots go to build/screenshots/."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from compass_graph.queries import load_queries

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing; `make test` installs it (Debian package chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda message: _note(problems, message))
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    yield opened
    context.close()
    assert not problems, problems


def _note(problems: list[str], message: ConsoleMessage) -> None:
    if message.type == "error":
        problems.append(f"console: {message.text}")


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_home_page_loads_cleanly(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Wijkkompas als open data"
    assert page.locator("ol.phases > li").count() == 6
    picture = page.locator("img[src='/api/pictures/phase-spoor.svg']")
    picture.scroll_into_view_if_needed()
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")
    _shoot(page, "home")


def test_search_leads_to_a_knooppunt_with_its_dependencies_and_stakeholders(
    page: Page, server: str
) -> None:
    page.goto(f"{server}/")
    page.get_by_role("searchbox").fill("toekomstbeeld")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/search?q=toekomstbeeld*")
    _shoot(page, "search")
    page.locator("ul.results a").first.click()
    page.wait_for_url("**/doc/knooppunt/R2.07*")
    assert "Gewenst toekomstbeeld vaststellen" in page.locator("h1").inner_text()
    requires = page.locator("section:has(h2#upstream) tbody tr")
    assert requires.count() >= 4
    assert "R2.01" in requires.first.inner_text()
    involved = page.locator("ul.involve li")
    assert involved.count() >= 3 and "gemeente" in involved.all_inner_texts()[0]
    _shoot(page, "knooppunt")


def test_the_language_switch_turns_the_site_english_and_back(page: Page, server: str) -> None:
    page.goto(f"{server}/doc/knooppunt/R2.07")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/doc/knooppunt/R2.07?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Settle the desired picture of the future" in page.locator("h1").inner_text()
    page.locator("section:has(h2#downstream) tbody a").first.click()
    assert page.locator("html").get_attribute("lang") == "en"  # links keep the language
    _shoot(page, "knooppunt-en")
    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_a_story_shows_progress_on_the_dependency_picture(page: Page, server: str) -> None:
    page.goto(f"{server}/doc/story/zilverkamp")
    picture = page.locator("img[src='/api/pictures/progress.svg?place=zilverkamp']")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=picture.element_handle()
    )
    assert page.locator("table.next tbody tr").count() >= 1
    _shoot(page, "story")


def test_the_sparql_editor_runs_an_example_and_shows_rows(page: Page, server: str) -> None:
    page.goto(f"{server}/sparql")
    tabs = page.locator(".tabsList a")
    tabs.first.wait_for()
    assert tabs.count() == len(load_queries()) + 1  # one tab for your own query
    tabs.filter(has_text=load_queries()["phases"].summary["nl"]).click()
    page.locator(".yasqe_queryButton:visible").click()
    rows = page.locator(".yasr:visible table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 6
    assert "Het gebied karakteriseren" in page.locator(".yasr:visible table").inner_text()
    _shoot(page, "sparql")


def test_a_page_opens_its_longest_query_in_the_editor_and_runs_it(page: Page, server: str) -> None:
    # Who to involve now, bound for a place, is the longest canned query: its link and its run
    # both have to fit what the production server accepts.
    # Not de-parken, the query's example: the editor would find that query among its example
    # tabs and show that tab instead.
    page.goto(f"{server}/doc/place/loenen")
    made_by = page.locator("section.made-by li", has_text="involve_neighbourhood_now")
    made_by.get_by_role("link", name="in de editor").click()
    page.wait_for_url("**/sparql?query=*")
    # Once YASGUI has started: the query of the address in the tab for your own, the examples
    # beside it.
    expect(page.locator(".tabsList a")).to_have_count(len(load_queries()) + 1)
    expect(page.locator(".yasqe:visible")).to_contain_text("place/loenen")
    # YASGUI runs a query that comes in the address by itself; a click on its button while that
    # run is still under way would stop it.
    rows = page.locator(".yasr:visible table tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 1
    assert "adjusted" in page.locator(".yasr:visible table").inner_text()


def test_the_editor_runs_a_query_longer_than_an_address_may_be(page: Page, server: str) -> None:
    # The production server takes request lines up to 4 kB: the editor sends queries in the body.
    page.goto(f"{server}/sparql")
    expect(page.locator(".tabsList a")).to_have_count(len(load_queries()) + 1)
    query = (
        "# "
        + "a long comment " * 400
        + "\nSELECT ?phase WHERE { ?phase a <https://w3id.org/wijkkompas/def/Phase> }"
    )
    page.evaluate("text => yasgui.getTab().getYasqe().setValue(text)", query)
    page.locator(".yasqe_queryButton:visible").click()
    rows = page.locator(".yasr:visible table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 6
