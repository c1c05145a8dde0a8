"""Waiting on the dashboard the way a user does (the benchmark's own rule, bench/browser.py: Streamlit
says its script has stopped, nothing is stale or still loading, every Plotly chart is drawn), and reading
and setting what a user sees."""
from __future__ import annotations

from playwright.sync_api import Page

from bench.browser import settle  # noqa: F401  (one definition of "drawn" for tests and benchmark)


def card(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def choose(page: Page, label: str, option: str, where: str = '[data-testid="stSidebar"]') -> None:
    """Pick an option of a selectbox (in the sidebar unless `where` says otherwise) by its label."""
    box = page.locator(f'{where} [data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)  # long option lists are virtualised: filter first
    page.get_by_role("option", name=option, exact=True).click()
