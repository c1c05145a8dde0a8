"""Every piece of interface text, Vietnamese first then English (KPI names come from the catalogue):
one table for the dashboard (ui/labels.t, which follows the language switch) and the council pack.

    text("filters.level", "en") -> "Level"
"""
from __future__ import annotations

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    # application and pages
    "page.overview": ("Tổng quan", "Overview"),
    "page.dossiers": ("Hồ sơ", "Dossiers"),
    "page.units": ("Đơn vị", "Units"),
    "page.procedures": ("Thủ tục", "Procedures"),
    "page.indicators": ("Chỉ số", "Indicators"),
    "page.data": ("Dữ liệu", "Data"),
    # global filters
    "filters.header": ("Bộ lọc", "Filters"),
    "filters.lang": ("Ngôn ngữ", "Language"),
    "filters.grain": ("Kỳ báo cáo", "Period type"),
    "filters.period": ("Kỳ", "Period"),
    "filters.from": ("Xu hướng từ", "Trend from"),
    "filters.level": ("Cấp", "Level"),
    "filters.unit": ("Đơn vị", "Unit"),
    "filters.field": ("Lĩnh vực", "Field"),
    "filters.procedure": ("Thủ tục", "Procedure"),
    "filters.channel": ("Kênh tiếp nhận", "Channel"),
    "filters.all": ("Tất cả", "All"),
    "filters.reset": ("Xóa bộ lọc", "Clear filters"),
    "grain.quarter": ("Quý", "Quarter"),
    "grain.month": ("Tháng", "Month"),
    "grain.year": ("Năm", "Year"),
    "notice.param": ("Tham số «{key}={value}» trong đường dẫn không hợp lệ; đã dùng mặc định.",
                     "The link parameter “{key}={value}” is not valid; the default is used."),
    "notice.unknown_param": ("Đường dẫn có tham số không dùng đến «{key}»; đã bỏ qua.",
                             "The link has a parameter this dashboard does not use, “{key}”; ignored."),
    "notice.range": ("Kỳ bắt đầu xu hướng ({start}) sau kỳ đang xem; đã dùng toàn bộ dữ liệu.",
                     "The trend start ({start}) is after the period shown; all data is used."),
    # levels, channels, outcomes
    "level.province": ("Cấp tỉnh", "Province"),
    "level.district": ("Cấp huyện", "District"),
    "level.commune": ("Cấp xã", "Commune"),
    "level.unassigned": ("Chưa xác định cấp", "Unassigned"),
    "channel.1": ("Trực tiếp", "Direct"),
    "channel.2": ("Trực tuyến", "Online"),
    "channel.3": ("Bưu chính công ích", "Public postal service"),
    "outcome.early": ("Trước hạn", "Early"),
    "outcome.ontime": ("Đúng hạn", "On time"),
    "outcome.late": ("Quá hạn", "Late"),
    "stock.within": ("Đang xử lý trong hạn", "Open, within time"),
    "stock.overdue": ("Đang xử lý quá hạn", "Open, overdue"),
    "stock.paused": ("Tạm dừng", "Paused"),
    "list.state_then": ("Tình trạng và số ngày quá hạn tính tại {day} (cuối kỳ); cột «Kết quả cuối cùng» là kết quả "
                        "khi hồ sơ đã giải quyết xong, dù sau kỳ này.",
                        "State and days overdue as at {day} (the period end); «Final outcome» is how the dossier "
                        "ended, even after this period."),
    # drill-down
    "drill.province": ("Toàn tỉnh", "Whole province"),
    "drill.hint": ("Bấm vào một cột để xem chi tiết một cấp dưới.", "Click a bar to go one level down."),
    "drill.open_list": ("Xem danh sách hồ sơ", "Open the dossier list"),
    "drill.records": ("Hồ sơ ›", "Dossiers ›"),
    # states
    "empty.period": ("Không có hồ sơ nào trong {period} cho phạm vi đang chọn.",
                     "No dossiers in {period} for the selected scope."),
    "empty.db": ("Cơ sở dữ liệu chưa có hồ sơ nào. Hãy nhập dữ liệu ở trang Dữ liệu.",
                 "The database holds no dossiers yet. Load data on the Data page."),
    "entry.only": ("Trang này chỉ mở qua ứng dụng: chạy `streamlit run dashboard.py`.",
                   "This page opens only through the app: run `streamlit run dashboard.py`."),
    "first_run": ("Đang tạo cơ sở dữ liệu mẫu lần đầu (khoảng một phút)…",
                  "Building the sample database on first run (about a minute)…"),
    # cards and comparisons
    "vs.last_year": ("cùng kỳ {period}", "same period {period}"),
    "move.up": ("tăng", "rose"),
    "move.down": ("giảm", "fell"),
    "move.sentence": ("{name} {verb} {delta} so với {period}.", "{name} {verb} by {delta} against {period}."),
    "move.flat_sentence": ("{name} không đổi so với {period}.", "{name} is unchanged against {period}."),
    "move.none": ("{name}: chưa đủ dữ liệu để so sánh với {period}.",
                  "{name}: not enough data to compare with {period}."),
    "target": ("Mục tiêu", "Target"),
    "estimate": ("Ước tính tại địa phương, không phải điểm chính thức.",
                 "A local estimate, not the official score."),
    # charts
    "chart.trend_level": ("Xu hướng theo cấp", "Trend by level"),
    "chart.by_level": ("Theo cấp", "By level"),
    "chart.by_unit": ("Theo đơn vị", "By unit"),
    "chart.by_procedure": ("Theo thủ tục", "By procedure"),
    "chart.channel_mix": ("Cơ cấu kênh tiếp nhận", "Channel mix"),
    "chart.outcomes": ("Kết quả giải quyết", "Outcomes"),
    "chart.backlog": ("Tồn đọng cuối kỳ", "Backlog at the period end"),
    "chart.backlog_age": ("Tuổi hồ sơ tồn đọng (ngày từ khi tiếp nhận)", "Age of the backlog (days since receipt)"),
    "chart.times": ("Thời gian giải quyết so với thời hạn luật định", "Processing time against the legal time"),
    "chart.postal": ("Bưu chính công ích: tiếp nhận và trả kết quả", "Public post: intake and delivery"),
    "chart.refusals": ("Từ chối và rút hồ sơ", "Refusals and withdrawals"),
    "chart.pareto_volume": ("Thủ tục nhiều hồ sơ nhất", "Procedures by volume"),
    "chart.pareto_late": ("Thủ tục nhiều hồ sơ quá hạn nhất (Pareto)", "Procedures by late count (Pareto)"),
    "chart.coverage": ("Độ phủ dịch vụ công trực tuyến", "Online-service coverage"),
    "axis.dossiers": ("Hồ sơ", "Dossiers"),
    "axis.days": ("Ngày làm việc", "Working days"),
    "axis.cum_share": ("Tỷ lệ cộng dồn", "Cumulative share"),
    "legal_days": ("Thời hạn luật định", "Legal time"),
    "mean_days": ("Thời gian TB thực tế", "Actual mean time"),
    # units page
    "units.rank_on": ("Xếp hạng theo", "Rank on"),
    "units.peer": ("Nhóm đơn vị", "Peer group"),
    "units.order": ("Thứ tự", "Order"),
    "order.best": ("Tốt nhất trước", "Best first"),
    "order.worst": ("Kém nhất trước", "Worst first"),
    "peer.province": ("Sở, ban, ngành", "Departments"),
    "peer.district": ("UBND cấp huyện", "Districts"),
    "peer.commune": ("UBND cấp xã", "Communes"),
    "units.hint": ("Bấm vào một dòng để xem chi tiết đơn vị.", "Click a row to open the unit."),
    "units.children": ("Đơn vị trực thuộc", "Child units"),
    "units.procedures": ("Thủ tục của đơn vị", "The unit's procedures"),
    # procedures page
    "proc.by_level": ("Chỉ số TTHC theo cấp", "Procedure KPIs by level"),
    "proc.by_field": ("Theo lĩnh vực (bấm một dòng để lọc)", "By field (click a row to filter)"),
    "proc.idle": ("TTHC đang áp dụng nhưng không phát sinh hồ sơ", "Procedures in force with no dossiers"),
    "proc.idle_note": ("{n} TTHC không có hồ sơ nào trong {period}.", "{n} procedures had no dossier in {period}."),
    "empty.catalogue": ("Không có TTHC nào cho phạm vi đang chọn trong {period}.",
                        "No procedures for the selected scope in {period}."),
    # indicators page
    "ind.data_to": ("dữ liệu hồ sơ đến {day}", "dossier data up to {day}"),
    "ind.xlsx": ("Tải bộ đánh giá (Excel)", "Download the review (Excel)"),
    "ind.pdf": ("Tải bản in (PDF)", "Download for print (PDF)"),
    "ind.computed": ("Chỉ số tính từ dữ liệu", "Indicators computed from the data"),
    "ind.reported": ("Chỉ số báo cáo", "Reported indicators"),
    "ind.records": ("Hồ sơ", "Records"),
    "ind.open": ("Xem hồ sơ ›", "Open records ›"),
    "ind.hint": ("Bấm vào một dòng để mở danh sách hồ sơ đứng sau giá trị (chỉ số TTHC: trang Thủ tục).",
                 "Click a row to open the dossiers behind the value (procedure indicators: the Procedures page)."),
    "ind.none_reported_period": ("Chưa có chỉ số báo cáo nào cho {period}.", "No reported indicators for {period}."),
    "ind.reported_other": ("Số liệu báo cáo của kỳ khác, không thuộc {period}",
                           "Reported figures of other periods, not of {period}"),
    # the 766 score's arithmetic (Indicators page and pack)
    "score.how": ("Cách tính: đạt {earned} trên {available} điểm có thể tính ({computable}/{scored} chỉ số có điểm "
                  "có dữ liệu; đủ cả {scored} là {full} điểm), quy về thang {scale}: "
                  "{earned} × {scale} / {available} = {score}.",
                  "How: {earned} earned of the {available} points available ({computable} of {scored} scored "
                  "indicators have data; all {scored} would give {full}), rescaled to {scale}: "
                  "{earned} × {scale} / {available} = {score}."),
    "score.how_all": ("Cách tính: đạt {earned} trên {available} điểm tối đa (cả {scored} chỉ số có điểm đều có dữ liệu), "
                      "quy về thang {scale}: {earned} × {scale} / {available} = {score}.",
                      "How: {earned} earned of the {available} points available (all {scored} scored indicators "
                      "have data), rescaled to {scale}: {earned} × {scale} / {available} = {score}."),
    "score.none": ("Chưa tính được điểm: không chỉ số có điểm nào có dữ liệu.",
                   "No score: none of the scored indicators has data."),
    "score.earned": ("Điểm đạt được", "Points earned"),
    "score.available": ("Điểm tối đa có thể tính", "Points available"),
    "score.scale": ("Quy về thang", "Rescaled to"),
    # age of a reported figure against the period under review
    "age.ym": ("{y} năm {m} tháng trước", "{y} yr {m} mo earlier"),
    "age.y": ("{y} năm trước", "{y} yr earlier"),
    "age.m": ("{m} tháng trước", "{m} mo earlier"),
    "age.later": ("sau kỳ đánh giá", "after the period under review"),
    # data page
    # what one ranking row counts (Units page): the scope a click on it opens
    "rank.counts.province": ("Mỗi dòng: hồ sơ của sở, ban, ngành cùng các đơn vị trực thuộc ở cấp tỉnh.",
                             "Each row: the dossiers of a department with its branches at province level."),
    "rank.counts.district": ("Mỗi dòng: hồ sơ cấp huyện của UBND huyện, không gồm các xã (cấp xã xếp hạng riêng).",
                             "Each row: the district committee's own district-level dossiers, without its "
                             "communes (ranked on their own)."),
    "rank.counts.commune": ("Mỗi dòng: hồ sơ của UBND xã, phường, thị trấn.",
                            "Each row: the dossiers of a commune, ward or town."),
    "data.last_dossier": ("Hồ sơ mới nhất", "Latest dossier"),
    "data.dossiers": ("Tổng số hồ sơ", "Dossiers in total"),
    "data.last_import": ("Lần nhập gần nhất", "Last import"),
    "data.stale": ("Dữ liệu cũ: hồ sơ mới nhất tiếp nhận ngày {day}, cách đây {days} ngày.",
                   "Stale data: the newest dossier was received on {day}, {days} days ago."),
    "data.tables": ("Số dòng theo bảng", "Rows per table"),
    "data.table": ("Bảng", "Table"),
    "data.rows": ("Số dòng", "Rows"),
    "data.quality": ("Cảnh báo chất lượng dữ liệu", "Data-quality flags"),
    "data.no_flags": ("Không phát hiện vấn đề nào.", "No problems found."),
    "data.flag": ("Vấn đề", "Problem"),
    "data.examples": ("Ví dụ (mã hồ sơ)", "Examples (dossier codes)"),
    "data.upload": ("Nhập dữ liệu", "Load data"),
    "data.waiting": ("Một lần ghi dữ liệu khác đang chạy; lần nhập này sẽ bắt đầu ngay khi lần đó xong.",
                     "Another write is running; this import starts as soon as it has finished."),
    "data.upload_help": ("CSV (UTF-8 hoặc UTF-16; dấu phẩy, chấm phẩy hoặc tab), Excel hoặc Parquet; tiêu đề tiếng Việt "
                         "hoặc mã cột. Kiểm tra trước; khi nhập, mọi dòng được nhận hoặc không dòng nào.",
                         "CSV (UTF-8 or UTF-16; comma, semicolon or tab), Excel or Parquet; Vietnamese or canonical "
                         "headers. Check first; an import takes every row or none."),
    "data.upload_limits": ("Tối đa {files} tệp mỗi lần, mỗi tệp tối đa {mb} MB và {rows} dòng.",
                           "At most {files} files at a time, each at most {mb} MB and {rows} rows."),
    "data.too_many_files": ("{n} tệp trong một lần nhập, giới hạn là {most} tệp ({env}): hãy chia thành nhiều lần.",
                            "{n} files in one upload, the limit is {most} files ({env}): upload them in parts."),
    "data.files": ("Tệp dữ liệu", "Data files"),
    "data.kind": ("Loại dữ liệu", "Kind of data"),
    "data.kind_auto": ("Tự nhận biết theo tiêu đề", "Guess from the headers"),
    "data.validate": ("Kiểm tra", "Check"),
    "data.import": ("Nhập vào cơ sở dữ liệu", "Import"),
    "data.no_files": ("Hãy chọn ít nhất một tệp.", "Choose at least one file."),
    "data.running": ("Đang xử lý…", "Working…"),
    "data.ok": ("Hoàn tất, không có lỗi.", "Done, no problems."),
    "data.failed": ("Có lỗi: không dòng nào được nhập. Chi tiết theo tệp:dòng:cột bên dưới.",
                    "Problems found: nothing was imported. Details by file:row:column below."),
    "data.refresh": ("Xem dữ liệu mới", "Show the new data"),
    "data.history": ("Lịch sử nhập", "Import history"),
    "db.sample": (":material/science: Dữ liệu mẫu: số liệu mô phỏng, không phải số liệu thật của tỉnh.",
                  ":material/science: Sample data: synthetic figures, not the province's real numbers."),
    "db.missing": ("REFORM_DB chỉ tới tệp dữ liệu {path} nhưng tệp này không tồn tại. Hãy sửa đường dẫn, hoặc bỏ "
                   "REFORM_DB để dùng dữ liệu mẫu.", "REFORM_DB names the database file {path}, which does not "
                   "exist. Correct the path, or unset REFORM_DB to use the sample data."),
    # a database path that is not a database of this dashboard (reform.db.identify): never written
    "db.file.directory": ("{path} là một thư mục, không phải tệp dữ liệu.", "{path} is a directory, not a database file."),
    "db.file.unreadable": ("Không đọc được tệp dữ liệu {path}.", "The database file {path} cannot be read."),
    "db.file.empty": ("Tệp dữ liệu {path} rỗng (0 byte).", "The database file {path} is empty (0 bytes)."),
    "db.file.not_duckdb": ("{path} không phải tệp DuckDB.", "{path} is not a DuckDB database file."),
    "db.file.unopenable": ("Không mở được tệp DuckDB {path} (hỏng, hoặc của phiên bản DuckDB khác).",
                           "The DuckDB file {path} cannot be opened (damaged, or from another DuckDB version)."),
    "db.file.foreign": ("{path} là cơ sở dữ liệu của ứng dụng khác: bảng chỉ số không đọc và không ghi vào tệp này.",
                        "{path} is another application's database: the dashboard neither reads nor writes it."),
    "db.file.newer": ("{path} do phiên bản mới hơn của bảng chỉ số tạo ra: hãy cập nhật bảng chỉ số.",
                      "{path} was written by a newer version of the dashboard: update the dashboard."),
    "db.outdated": ("Tệp dữ liệu {path} do phiên bản cũ tạo ra, thiếu bảng: {tables}. Nhập lại một tệp bất kỳ "
                    "(trang Dữ liệu hoặc `python -m reform import`) hoặc tạo lại dữ liệu mẫu "
                    "(`python -m reform generate`).",
                    "The database {path} was made by an older version and lacks: {tables}. Import any file "
                    "again (the Data page or `python -m reform import`) or rebuild the sample "
                    "(`python -m reform generate`)."),
    "filters.lens": ("Đơn vị theo", "Units as"),
    "filters.lens_help": ("Như ghi nhận: mỗi hồ sơ thuộc đơn vị tiếp nhận khi đó (trước 1/7/2025 có ba cấp). "
                          "Theo cơ cấu hiện nay: hồ sơ cũ được tính cho đơn vị kế thừa ngày nay, để xu hướng "
                          "liền mạch từ 2019; phần chia theo tỷ lệ (đơn vị bị tách) là ước tính.",
                          "As recorded: every dossier under the unit that received it (three levels before "
                          "1/7/2025). Restated: older dossiers counted under today's successor units, for "
                          "unbroken trends since 2019; the part shared by weights (split units) is approximate."),
    "lens.approx_trend": ("Theo cơ cấu hiện nay: {share} số hồ sơ của xu hướng đến từ đơn vị bị tách, được chia "
                          "theo tỷ lệ (ước tính, xem trang Dữ liệu › Sắp xếp đơn vị).",
                          "Today's structure: {share} of the trend's dossiers come from split units and are "
                          "shared by weights (approximate; see Data › Unit mapping)."),
    "lens.approx_period": ("≈ {share} hồ sơ của kỳ này được chia theo tỷ lệ từ đơn vị bị tách: các số liệu là ước tính.",
                           "≈ {share} of this period's dossiers are shared by weights from split units: the "
                           "numbers are approximate."),
    "lens.exact": ("Theo cơ cấu hiện nay, không có phần ước tính: mọi hồ sơ đến từ đơn vị được sáp nhập nguyên trạng.",
                   "Today's structure, nothing approximate: every dossier comes from a unit merged whole."),
    "ba.title": ("Trước và sau sắp xếp (1/7/2025)", "Before and after the restructuring (1/7/2025)"),
    "ba.how": ("Cùng chỉ số, theo cơ cấu hiện nay: {before} (các đơn vị tiền thân) so với {after}.",
               "The same KPIs, in today's structure: {before} (the predecessor units) against {after}."),
    "ba.no_after": ("Chưa có dữ liệu từ Quý III/2025.", "No data from Q3 2025 yet."),
    "ba.kpi": ("Chỉ số", "Indicator"),
    "ba.change": ("Thay đổi", "Change"),
    "ba.approx": ("{share} số hồ sơ trước sắp xếp đến từ đơn vị bị tách, chia theo tỷ lệ (ước tính).",
                  "{share} of the dossiers before the change come from split units, shared by weights "
                  "(approximate)."),
    "ba.predecessors": ("Đơn vị tiền thân", "Predecessor units"),
    "ba.level": ("Cấp", "Level"),
    "ba.until": ("Hoạt động đến", "In operation until"),
    "ba.weight": ("Tỷ lệ chuyển về", "Share counted here"),
    "ba.kind": ("Hình thức", "How"),
    "ba.whole": ("Nguyên trạng", "Whole"),
    "ba.part": ("Một phần (ước tính)", "Part (approximate)"),
    "data.mapping": ("Sắp xếp đơn vị (từ 1/7/2025)", "Unit mapping (from 1/7/2025)"),
    "data.mapping_help": ("Đơn vị cũ → đơn vị mới theo Nghị quyết 1655/NQ-UBTVQH15; tỷ lệ dùng khi xem theo cơ cấu "
                          "hiện nay. Nhập tệp mới (loại «mapping») để sửa.",
                          "Old unit → new unit under Resolution 1655/NQ-UBTVQH15; the weights are used in "
                          "today's structure. Import a new file (kind \"mapping\") to change it."),
    "lens.recorded": ("Như ghi nhận", "As recorded"),
    "lens.restated": ("Cơ cấu hiện nay", "Today's structure"),
    "filters.no_district": ("Từ 1/7/2025 không còn cấp huyện: kỳ này chỉ có cấp tỉnh và cấp xã.",
                            "No district level from 1/7/2025: this period has the province and commune "
                            "levels only."),
    "filters.no_district_restated": ("Theo cơ cấu hiện nay không có cấp huyện: hồ sơ cấp huyện được tính "
                                     "cho các xã, phường kế thừa.",
                                     "Today's structure has no district level: district dossiers count "
                                     "under the successor communes and wards."),
    "auth.title": ("Đăng nhập", "Sign in"),
    "auth.why": ("Bảng chỉ số cải cách hành chính chỉ dành cho các tài khoản được cấp quyền.",
                 "The reform KPI dashboard is open to authorised accounts only."),
    "auth.login": ("Đăng nhập", "Sign in"),
    "auth.logout": ("Đăng xuất", "Sign out"),
    "auth.denied": ("Tài khoản {email} chưa được cấp quyền xem bảng chỉ số. Liên hệ quản trị để được thêm "
                    "vào danh sách.", "The account {email} may not see the dashboard. Ask the administrator "
                    "to add it to the list."),
    "auth.misconfigured": ("Đã có danh sách tài khoản ([access.accounts]) nhưng chưa cấu hình đăng nhập "
                           "([auth]) trong secrets.toml: bảng chỉ số không hiển thị dữ liệu.",
                           "secrets.toml lists accounts ([access.accounts]) but configures no sign-in "
                           "([auth]): the dashboard shows no data."),
    "auth.unverified": ("Nhà cung cấp đăng nhập chưa xác nhận địa chỉ e-mail của tài khoản này (email_verified), "
                        "nên không thể đối chiếu với danh sách được cấp quyền.",
                        "The sign-in provider has not verified this account's e-mail address (email_verified), "
                        "so it cannot be matched against the allow-list."),
    "auth.bad_config": ("Cấu hình đăng nhập trong secrets.toml có lỗi: {problem}. Bảng chỉ số không hiển thị dữ "
                        "liệu cho đến khi sửa.", "The sign-in settings in secrets.toml have a mistake: {problem}. "
                        "The dashboard shows no data until it is fixed."),
    "auth.signed_in": ("Đăng nhập: {email}", "Signed in: {email}"),
    # uploads (issue 13): who may import, and why the form is absent
    "upload.off.no_sign_in": ("Chưa cấu hình đăng nhập nên không ai được nhập dữ liệu từ bảng điều khiển. Hãy "
                              "cấu hình đăng nhập và cấp quyền nhập ([access] writers trong secrets.toml), hoặc "
                              "dùng lệnh python -m reform import trên máy chủ.",
                              "Sign-in is not configured, so nobody may import data from the dashboard. "
                              "Configure sign-in and give accounts the data role ([access] writers in "
                              "secrets.toml), or use python -m reform import on the server."),
    "upload.off.not_signed_in": ("Hãy đăng nhập để nhập dữ liệu.", "Sign in to import data."),
    "upload.off.not_listed": ("Tài khoản này không có trong danh sách được cấp quyền.",
                              "This account is not on the allow-list."),
    "upload.off.read_only": ("Tài khoản này chỉ được xem. Quyền nhập dữ liệu do quản trị cấp ([access] writers "
                             "trong secrets.toml).", "This account may view only. The administrator gives the "
                             "data role ([access] writers in secrets.toml)."),
    "upload.off.misconfigured": ("Cấu hình đăng nhập chưa đầy đủ: không nhận dữ liệu tải lên.",
                                 "Sign-in is not fully configured: uploads are off."),
    "upload.open_banner": ("Ai truy cập được trang này cũng nhập được dữ liệu (REFORM_OPEN_UPLOADS=1, không đăng "
                           "nhập): chỉ dùng trong mạng nội bộ khép kín.",
                           "Anyone who reaches this page can import data (REFORM_OPEN_UPLOADS=1, no sign-in): "
                           "for a closed network only."),
    "upload.scoped": ("Tài khoản chỉ được nhập dữ liệu của đơn vị {unit} và cấp dưới; dòng của đơn vị khác và "
                      "danh mục thủ tục bị từ chối theo từng dòng.",
                      "This account may import rows of unit {unit} and the units under it only; rows of other "
                      "units and procedures are refused row by row."),
    "auth.scope": ("phạm vi: đơn vị {unit} và cấp dưới", "scope: unit {unit} and below"),
    "data.h.imported_at": ("Thời điểm nhập", "Imported at"),
    "data.h.kind": ("Loại dữ liệu", "Kind of data"),
    "data.h.file": ("Tệp", "File"),
    "data.h.rows_in": ("Số dòng", "Rows"),
    "data.h.rows_new": ("Dòng mới", "New rows"),
    "data.h.imported_by": ("Người nhập", "Imported by"),
    "flag.due_before_received": ("Hạn trả trước ngày tiếp nhận", "Due before received"),
    "flag.finished_before_received": ("Kết thúc trước ngày tiếp nhận", "Finished before received"),
    "flag.finished_without_date": ("Đã xử lý xong nhưng không có ngày kết thúc", "Finished status without a date"),
    "flag.closed_without_date": ("Từ chối, rút hoặc dừng nhưng không có ngày kết thúc (không tính là đang xử lý)",
                                 "Refused, withdrawn or stopped without a date (not counted as open)"),
    "flag.date_without_finished_status": ("Có ngày kết thúc nhưng trạng thái đang xử lý",
                                          "End date but an open status"),
    "flag.no_due_date": ("Không có hạn trả", "No due date"),
    "flag.returned_before_finished": ("Trả kết quả trước khi xử lý xong", "Returned before finished"),
    "flag.unknown_unit": ("Mã đơn vị không có trong danh mục", "Unit not in the unit list"),
    "flag.unknown_procedure": ("Mã TTHC không có trong danh mục", "Procedure not in the catalogue"),
    # dossier list
    "set.FIN": ("Hồ sơ giải quyết xong", "Finished dossiers"),
    "set.FIN_def": ("Hồ sơ giải quyết xong trong kỳ (trước hạn, đúng hạn, quá hạn): mẫu số của tỷ lệ đúng hạn",
                    "Finished in the period (early, on time, late): the on-time rate's denominator"),
    "list.header": ("Danh sách hồ sơ", "Dossier list"),
    "tab.charts": ("Biểu đồ", "Charts"),
    "list.set": ("Hồ sơ thuộc chỉ tiêu", "Dossiers behind"),
    "list.sort": ("Sắp xếp", "Sort"),
    "list.count": ("{n} hồ sơ", "{n} dossiers"),
    "list.page": ("Trang (trên {pages})", "Page (of {pages})"),
    "list.download_all": ("Tải toàn bộ danh sách (CSV, {n} dòng)", "Download the whole list (CSV, {n} rows)"),
    "empty.list": ("Không có hồ sơ nào thuộc chỉ tiêu này trong {period} cho phạm vi đang chọn.",
                   "No dossiers behind this count in {period} for the selected scope."),
    "empty.backlog": ("Không có hồ sơ tồn đọng cuối {period} cho phạm vi đang chọn.",
                      "No open dossiers at the end of {period} for the selected scope."),
    "age.1": ("0–5 ngày", "0–5 days"), "age.2": ("6–10 ngày", "6–10 days"), "age.3": ("11–20 ngày", "11–20 days"),
    "age.4": ("21–30 ngày", "21–30 days"), "age.5": ("31–60 ngày", "31–60 days"), "age.6": ("trên 60 ngày", "over 60 days"),
    # tables and exports
    "download.csv": ("Tải CSV", "Download CSV"),
    "download.xlsx": ("Tải Excel", "Download Excel"),
    "col.rank": ("Hạng", "Rank"),
    "col.rank_change": ("Thay đổi hạng", "Rank change"),
    "col.unit": ("Đơn vị", "Unit"),
    "col.code": ("Mã", "Code"),
    "col.old_code": ("Mã đơn vị cũ", "Old unit code"),
    "col.old_name": ("Đơn vị cũ", "Old unit"),
    "col.new_code": ("Mã đơn vị mới", "New unit code"),
    "col.new_name": ("Đơn vị mới", "New unit"),
    "col.effective_date": ("Ngày hiệu lực", "Effective"),
    "col.share_kind": ("Toàn bộ/một phần", "Whole/part"),
    "col.weight": ("Tỷ lệ", "Weight"),
    "col.share": ("Tỷ lệ tính", "Share counted"),
    "list.shared": ("Theo cơ cấu hiện nay: {n} hồ sơ trong danh sách, tính là {w} trong số liệu. Hồ sơ của đơn vị bị "
                    "tách được liệt kê đầy đủ; cột «Tỷ lệ tính» là phần được tính cho đơn vị này.",
                    "Today's structure: {n} dossiers listed, counted as {w}. The dossiers of split units are "
                    "listed whole; the «Share counted» column is the part counted for this unit."),
    "col.procedure": ("Thủ tục", "Procedure"),
    "col.field": ("Lĩnh vực", "Field"),
    "col.level": ("Cấp", "Level"),
    "col.indicator": ("Chỉ số", "Indicator"),
    "col.definition": ("Cách tính", "Definition"),
    "col.numerator": ("Tử số", "Numerator"),
    "col.denominator": ("Mẫu số", "Denominator"),
    "col.value": ("Giá trị", "Value"),
    "col.target": ("Mục tiêu", "Target"),
    "col.points": ("Điểm", "Points"),
    "col.max_points": ("Điểm tối đa", "Max points"),
    "col.band": ("Xếp loại", "Band"),
    "col.source": ("Nguồn", "Source"),
    "col.period": ("Kỳ", "Period"),
    "col.as_of": ("Ngày số liệu", "As of"),
    "col.age": ("Độ cũ so với kỳ đánh giá", "Age at the period under review"),
    "col.procedure_code": ("Mã TTHC", "Procedure code"),
    "col.name": ("Tên", "Name"),
    "col.online_level": ("Mức DVC trực tuyến", "Online service"),
    "col.legal_days": ("Thời hạn (ngày làm việc)", "Legal time (working days)"),
    "col.unit_code": ("Mã đơn vị", "Unit code"),
    # the council pack (reform/report.py)
    "pack.title": ("Báo cáo thẩm định Chỉ số cải cách hành chính", "Administrative reform indicator review"),
    "pack.scope": ("Phạm vi", "Scope"),
    "pack.province": ("Toàn tỉnh", "Whole province"),
    "pack.period": ("Kỳ", "Period"),
    "pack.made": ("Lập ngày", "Produced on"),
    "pack.data_to": ("Dữ liệu hồ sơ đến ngày", "Dossier data up to"),
    "pack.score": ("Điểm ước tính 766 (tính tại địa phương)", "Local 766 estimate"),
    "pack.computed": ("Chỉ số tính từ dữ liệu hồ sơ và danh mục TTHC",
                      "Indicators computed from dossiers and the catalogue"),
    "pack.reported": ("Chỉ số báo cáo", "Reported indicators"),
    "pack.none_reported": ("Chưa có chỉ số báo cáo nào.", "No reported indicators."),
    "pack.chart_targets": ("Các tỷ lệ so với mục tiêu", "Shares against their targets"),
    "pack.chart_trend": ("Xu hướng 8 kỳ gần nhất", "The last 8 periods"),
    # the dossier list's sort orders and columns
    "sort.received_desc": ("Mới tiếp nhận trước", "Newest first"),
    "sort.received_asc": ("Tiếp nhận sớm nhất trước", "Oldest first"),
    "sort.due_asc": ("Hạn trả sớm nhất trước", "Earliest due first"),
    "sort.overdue_desc": ("Quá hạn lâu nhất trước", "Most overdue first"),
    "col.dossier_code": ("Mã hồ sơ", "Dossier"),
    "col.unit_name": ("Đơn vị", "Unit"),
    "col.procedure_name": ("Tên TTHC", "Procedure name"),
    "col.channel": ("Kênh", "Channel"),
    "col.received": ("Ngày tiếp nhận", "Received"),
    "col.due": ("Hẹn trả", "Due"),
    "col.finished": ("Ngày kết thúc", "Finished"),
    "col.returned": ("Ngày trả", "Returned"),
    "col.status_code": ("Trạng thái", "Status"),
    "col.outcome": ("Kết quả cuối cùng", "Final outcome"),
    "col.state_then": ("Tình trạng cuối kỳ", "State at the period end"),
    "col.working_days": ("Ngày làm việc", "Working days"),
    "col.days_overdue": ("Số ngày quá hạn cuối kỳ", "Days overdue at the period end"),
    "col.rating": ("Đánh giá", "Rating"),
}


def text(key: str, lang: str = "vi", /, **fields) -> str:
    vi, en = TEXT[key]
    out = vi if lang == "vi" else en
    return out.format(**fields) if fields else out
