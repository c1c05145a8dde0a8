"""Built figures are kept and shared between runs and sessions (ui/charts.py): a kept figure must be
the one its data, options and language would build now, never another view's."""
import pandas as pd
import pytest
import streamlit as st

from ui import charts


@pytest.fixture
def lang():
    def set_lang(code):
        st.session_state["lang"] = code
    yield set_lang
    st.session_state.pop("lang", None)


def _bars(df, title="t"):
    return charts.bars(df, x="name", y="F01", code="code", title=title)


def test_same_inputs_share_one_figure(lang):
    lang("vi")
    df = pd.DataFrame({"name": ["a", "b"], "F01": [3, 5], "code": ["x", "y"]})
    assert _bars(df) is _bars(df.copy())


def test_other_data_other_options_other_language_build_anew(lang):
    lang("vi")
    df = pd.DataFrame({"name": ["a", "b"], "F01": [3, 5], "code": ["x", "y"]})
    first = _bars(df)
    changed = df.assign(F01=[3, 6])
    assert list(_bars(changed).data[0].y) == [3, 6]
    assert list(_bars(df).data[0].y) == [3, 5]
    assert _bars(df, title="other").layout.title.text == "other"
    lang("en")
    english = _bars(df)
    assert english is not first
    # the number separators follow the language
    assert (first.layout.separators, english.layout.separators) == (",.", ".,")
