"""Header and label vocabulary of the importer (DESIGN §4): canonical columns per kind, the usual
Vietnamese headers of one-stop exports, the accepted labels of coded columns, and personal-data headers.

Everything here is matched after `norm()`: Unicode NFC, lower case, surrounding space removed and inner
runs of space collapsed, so "  MÃ HỒ SƠ " (even typed with combining accents) is "mã hồ sơ".
"""
from __future__ import annotations

import re
import unicodedata

KINDS = ("units", "procedures", "dossiers", "indicators", "mapping")

# the table each kind is loaded into (the 2025 old -> new unit mapping lives in unit_mapping,
# see docs/restructuring.md; its cross-row rules are checked by reform.restructure)
TABLES = {"units": "units", "procedures": "procedures", "dossiers": "dossiers", "indicators": "indicators",
          "mapping": "unit_mapping"}

# (column, type) in table order. Types: code/text (string), ts (timestamp), date, num (double),
# bool, label:<domain> (coded value, see LABELS), period.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "units": [
        ("unit_code", "code"), ("name", "text"), ("level", "label:unit_level"), ("kind", "text"),
        ("parent_code", "code"), ("area_code", "code"), ("valid_from", "date"), ("valid_to", "date"),
        ("successor_code", "code"), ("former_province", "code"),
    ],
    "procedures": [
        ("procedure_code", "code"), ("name", "text"), ("field", "text"), ("level", "label:proc_level"),
        ("online_level", "label:online_level"), ("legacy_level", "label:legacy_level"),
        ("legal_days", "num"), ("has_fee", "bool"), ("fee_amount", "num"),
        ("requires_paper_result", "bool"), ("is_public_national", "bool"),
        ("announce_decision_no", "text"), ("announce_decision_date", "date"),
        ("valid_from", "date"), ("valid_to", "date"),
    ],
    "dossiers": [
        ("dossier_code", "code"), ("procedure_code", "code"), ("unit_code", "code"),
        ("channel", "label:channel"), ("received_at", "ts"), ("due_at", "ts"), ("finished_at", "ts"),
        ("returned_at", "ts"), ("return_channel", "label:return_channel"), ("status_code", "label:status"),
        ("supplement_days", "num"), ("apology_issued", "bool"), ("paid_online", "bool"),
        ("is_digitized", "bool"), ("has_e_result", "bool"), ("rating", "label:rating"),
    ],
    "indicators": [
        ("indicator_code", "code"), ("unit_code", "code"), ("period", "period"), ("value", "num"),
        ("source", "text"), ("as_of", "date"),
    ],
    "mapping": [
        ("old_code", "code"), ("new_code", "code"), ("effective_date", "date"),
        ("share_kind", "label:share_kind"), ("weight", "num"),
    ],
}

REQUIRED = {
    "units": ("unit_code", "name"),
    "procedures": ("procedure_code", "name", "level"),
    "dossiers": ("dossier_code", "procedure_code", "received_at", "status_code"),
    "indicators": ("indicator_code", "period", "value"),
    "mapping": ("old_code", "new_code", "effective_date", "share_kind", "weight"),
}

KEYS = {
    "units": ("unit_code",),
    "procedures": ("procedure_code",),
    "dossiers": ("dossier_code",),
    "indicators": ("indicator_code", "unit_code", "period"),
    "mapping": ("old_code", "new_code"),
}

# value used when the column is absent or the cell blank (None = NULL)
DEFAULTS = {
    ("procedures", "has_fee"): False,
    ("procedures", "requires_paper_result"): True,
    ("procedures", "is_public_national"): True,
    ("dossiers", "supplement_days"): 0.0,
    ("units", "level"): "unassigned",
}

# references checked against the database plus the same import batch: (kind, column) -> target kind
REFERENCES = {
    ("dossiers", "procedure_code"): "procedures",
    ("dossiers", "unit_code"): "units",
    ("indicators", "unit_code"): "units",
    ("units", "parent_code"): "units",
}

_VI = {
    "units": {
        "mã đơn vị": "unit_code", "tên đơn vị": "name", "cấp": "level", "loại": "kind",
        "loại đơn vị": "kind", "mã đơn vị cha": "parent_code", "mã địa bàn": "area_code",
        "hiệu lực từ": "valid_from", "hiệu lực đến": "valid_to", "mã đơn vị kế thừa": "successor_code",
        "tỉnh cũ": "former_province", "mã tỉnh cũ": "former_province",
    },
    "procedures": {
        "mã tthc": "procedure_code", "mã thủ tục": "procedure_code",
        "mã thủ tục hành chính": "procedure_code", "tên tthc": "name", "tên thủ tục": "name",
        "tên thủ tục hành chính": "name", "lĩnh vực": "field", "cấp thực hiện": "level",
        "mức độ dvc": "online_level", "mức độ dvctt": "online_level", "mức độ cũ": "legacy_level",
        "thời hạn giải quyết": "legal_days", "có phí": "has_fee", "mức phí": "fee_amount",
        "yêu cầu kết quả giấy": "requires_paper_result", "công khai csdlqg": "is_public_national",
        "số qđ công bố": "announce_decision_no", "ngày qđ công bố": "announce_decision_date",
        "hiệu lực từ": "valid_from", "hiệu lực đến": "valid_to",
    },
    "dossiers": {
        "mã hồ sơ": "dossier_code", "số hồ sơ": "dossier_code",
        "mã tthc": "procedure_code", "mã thủ tục": "procedure_code",
        "mã thủ tục hành chính": "procedure_code",
        "mã đơn vị": "unit_code", "mã cơ quan": "unit_code",
        "hình thức nộp": "channel", "kênh nộp": "channel",
        "ngày tiếp nhận": "received_at", "ngày hẹn trả": "due_at",
        "ngày hoàn thành": "finished_at", "ngày kết thúc xử lý": "finished_at",
        "ngày trả kết quả": "returned_at", "hình thức trả kết quả": "return_channel",
        "trạng thái": "status_code", "số ngày bổ sung": "supplement_days",
        "xin lỗi": "apology_issued", "có phiếu xin lỗi": "apology_issued",
        "thanh toán trực tuyến": "paid_online", "số hóa": "is_digitized", "số hoá": "is_digitized",
        "kết quả điện tử": "has_e_result", "đánh giá": "rating",
    },
    "indicators": {
        "mã chỉ số": "indicator_code", "mã đơn vị": "unit_code", "kỳ": "period", "giá trị": "value",
        "nguồn": "source", "ngày số liệu": "as_of",
    },
    "mapping": {
        "mã đơn vị cũ": "old_code", "mã đv cũ": "old_code", "mã đơn vị mới": "new_code",
        "mã đv mới": "new_code", "ngày hiệu lực": "effective_date", "toàn bộ/một phần": "share_kind",
        "toàn bộ / một phần": "share_kind", "hình thức sắp xếp": "share_kind", "tỷ lệ": "weight",
        "tỉ lệ": "weight", "trọng số": "weight",
    },
}


def norm(s: object) -> str:
    """NFC, lower case, trimmed, inner whitespace collapsed (a BOM or no-break space counts as space)."""
    s = unicodedata.normalize("NFC", str(s)).replace("\ufeff", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().lower()


def _header_map(kind: str) -> dict[str, str]:
    m = {}
    for col, _ in COLUMNS[kind]:
        m[col] = col
        m[col.replace("_", " ")] = col
    m.update({norm(k): v for k, v in _VI[kind].items()})
    return m


HEADER_MAP = {k: _header_map(k) for k in KINDS}

# headers that hold personal data: dropped, never stored (matched as substrings of the normalised header,
# after the header maps, so "Tên đơn vị" or "Mã địa bàn" are not caught)
PII_PATTERNS = (
    "họ tên", "họ và tên", "tên người", "người nộp", "người đứng tên", "chủ hồ sơ", "công dân",
    "cccd", "cmnd", "căn cước", "chứng minh", "định danh", "hộ chiếu", "điện thoại", "sđt", "sdt",
    "di động", "địa chỉ", "email", "e-mail", "thư điện tử", "ngày sinh", "giới tính",
    "applicant", "full name", "full_name", "fullname", "citizen", "owner", "person", "phone",
    "mobile", "telephone", "address", "email", "id number", "id_number", "id card", "id_card",
    "national id", "national_id", "passport", "birth", "gender",
)


def is_pii(header: str) -> bool:
    h = norm(header)
    return any(p in h for p in PII_PATTERNS) or h in ("tel", "sđt", "id", "cid")


def guess_kind(headers: list[str]) -> str | None:
    """The kind whose columns the headers name: a key column decides, else the most matches."""
    hs = [norm(h) for h in headers]
    found = {k: {HEADER_MAP[k][h] for h in hs if h in HEADER_MAP[k]} for k in KINDS}
    if "dossier_code" in found["dossiers"]:
        return "dossiers"
    if "indicator_code" in found["indicators"]:
        return "indicators"
    if "old_code" in found["mapping"]:
        return "mapping"
    if "procedure_code" in found["procedures"] and "unit_code" not in found["units"]:
        return "procedures"
    if "unit_code" in found["units"] and "procedure_code" not in found["procedures"]:
        return "units"
    best = max(len(v) for v in found.values())
    top = [k for k in KINDS if len(found[k]) == best]
    return top[0] if best >= 2 and len(top) == 1 else None


# accepted labels per coded domain, keys normalised with norm(); status labels also come from the
# status_codes table of the schema (see importer).
_TRUE = ("true", "t", "1", "yes", "y", "có", "co", "x", "đúng", "✓", "✔", "1.0")
_FALSE = ("false", "f", "0", "no", "n", "không", "khong", "sai", "0.0", "-")

LABELS: dict[str, dict[str, str]] = {
    "bool": {**{k: "true" for k in _TRUE}, **{k: "false" for k in _FALSE}},
    "channel": {
        "1": "1", "2": "2", "3": "3",
        "trực tiếp": "1", "nộp trực tiếp": "1", "direct": "1",
        "trực tuyến": "2", "nộp trực tuyến": "2", "dịch vụ công trực tuyến": "2", "online": "2",
        "bưu chính công ích": "3", "qua bưu chính công ích": "3", "bcci": "3", "qua bcci": "3",
        "bưu chính": "3", "qua bưu chính": "3", "postal": "3", "public postal service": "3",
    },
    "return_channel": {
        "counter": "counter", "postal": "postal", "online": "online",
        "trực tiếp": "counter", "tại bộ phận một cửa": "counter", "bộ phận một cửa": "counter",
        "tại bộ phận tiếp nhận và trả kết quả": "counter", "at the one-stop desk": "counter",
        "bưu chính công ích": "postal", "qua bưu chính công ích": "postal", "bcci": "postal",
        "qua bcci": "postal", "bưu chính": "postal", "qua bưu chính": "postal",
        "public postal service": "postal",
        "trực tuyến": "online", "trả trực tuyến": "online",
    },
    "rating": {
        "1": "1", "2": "2", "3": "3",
        "rất hài lòng": "1", "hài lòng": "2", "không hài lòng": "3",
        "very satisfied": "1", "satisfied": "2", "not satisfied": "3", "dissatisfied": "3",
    },
    "unit_level": {
        "province": "province", "district": "district", "commune": "commune", "unassigned": "unassigned",
        "cấp tỉnh": "province", "tỉnh": "province", "cấp huyện": "district", "huyện": "district",
        "cấp xã": "commune", "xã": "commune", "chưa xác định cấp": "unassigned",
        "chưa xác định": "unassigned",
    },
    "proc_level": {
        "province": "province", "district": "district", "commune": "commune",
        "cấp tỉnh": "province", "tỉnh": "province", "cấp huyện": "district", "huyện": "district",
        "cấp xã": "commune", "xã": "commune",
    },
    "online_level": {
        "full": "full", "partial": "partial", "none": "none",
        "toàn trình": "full", "dvc toàn trình": "full", "dvctt toàn trình": "full",
        "dịch vụ công trực tuyến toàn trình": "full",
        "một phần": "partial", "dvc một phần": "partial", "dvctt một phần": "partial",
        "dịch vụ công trực tuyến một phần": "partial",
        "không": "none", "không có": "none", "dịch vụ công cơ bản": "none",
    },
    # unit_mapping.share_kind: the whole old unit, or a part of it ("(p)" in Resolution 1655's lists)
    "share_kind": {
        "whole": "whole", "part": "part", "toàn bộ": "whole", "nguyên trạng": "whole",
        "một phần": "part", "(p)": "part", "p": "part",
    },
    "legacy_level": {
        **{str(i): str(i) for i in range(1, 5)},
        **{f"mức {i}": str(i) for i in range(1, 5)},
        **{f"mức độ {i}": str(i) for i in range(1, 5)},
    },
}

# SQL types of label domains once mapped
LABEL_SQL_TYPE = {
    "channel": "tinyint", "status": "tinyint", "rating": "tinyint", "legacy_level": "tinyint",
    "bool": "boolean",
}

# what to call a domain in a problem message
DOMAIN_NAMES = {
    "channel": "channel", "status": "status", "return_channel": "return channel", "rating": "rating",
    "unit_level": "level", "proc_level": "level", "online_level": "online level",
    "legacy_level": "legacy level", "bool": "yes/no value", "share_kind": "whole/part value",
}


def vietnamese_names(kind: str, col: str) -> list[str]:
    """The Vietnamese headers accepted for a column (for messages)."""
    return [k for k, v in _VI[kind].items() if v == col]
