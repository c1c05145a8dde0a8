"""Waiting on the dashboard the way a user does: until Streamlit says its script has stopped running and
no element is stale, then until every Plotly chart has drawn."""
from __future__ import annotations

import time

from playwright.sync_api import Page


def settle(page: Page, timeout_s: float = 60) -> None:
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    time.sleep(0.2)  # a click takes a moment to start a rerun
    page.wait_for_function("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.dataset.testScriptState === 'notRunning'
               && !document.querySelector('[data-stale="true"]'); }""", timeout=timeout_s * 1000)
    # every page has a title; a fresh server's first request draws nothing until its rerun
    page.wait_for_selector('[data-testid="stMain"] h1')
    # lazily loaded widgets (tables, charts) show a skeleton until their code has arrived
    page.wait_for_function("""() => !document.querySelector(
        '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]')""")
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
                              .every(p => p.querySelector('.main-svg'))""")
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


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
