"""Build the sample procedure catalogue (thủ tục hành chính, TTHC) for Cà Mau: sample_data/procedures.csv.

Plain Python (stdlib only), deterministic (random.Random(2020)). Run from anywhere:

    python sample_data/build_procedures.py          # rewrites procedures.csv and prints check()

One row per procedure code. valid_to is the LAST day in force (inclusive); empty = still in force.
announce_decision_* is the LATEST decision about the procedure (new, amended or abolished).

Calibration (DESIGN §3, domain-notes §1), asserted in check():
  a) in force on 2020-04-30: 1,960 = province 1,542 + district 290 + commune 128;
  b) 2020-01-01..2020-04-30: 42 decisions, 254 procedures; 102 new/amended and in force
     (99 public on the national portal, 3 not), 152 abolished (valid_to = decision date - 1);
  c) every other procedure in force on 2020-04-30 is public, announced 2017-2019 (or later if changed later).
Later history: a few decisions a year 2020-2026; the district level ends 2025-06-30 and 180 procedures
move to new commune-level codes from 2025-07-01. Nothing starts after 2026-09-30.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import pathlib
import random
import re

OUT = pathlib.Path(__file__).resolve().parent / "procedures.csv"
COLUMNS = ["procedure_code", "name", "field", "level", "online_level", "legacy_level", "legal_days",
           "has_fee", "fee_amount", "requires_paper_result", "is_public_national", "announce_decision_no",
           "announce_decision_date", "valid_from", "valid_to"]

D = dt.date
REF = D(2020, 4, 30)
WIN_FROM, WIN_TO = D(2020, 1, 1), D(2020, 4, 30)
LEGACY_END = D(2022, 6, 24)          # Decree 42/2022: levels 1-4 replaced by full/partial online
DISTRICT_END = D(2025, 6, 30)
COMMUNE_NEW = D(2025, 7, 1)
LAST_START = D(2026, 9, 30)

IN_FORCE_2020 = {"province": 1542, "district": 290, "commune": 128}
WIN_KEPT = {"province": 86, "commune": 16}                          # 102 new or amended, in force
WIN_NEW = 45                                                        # of the 102, newly issued
WIN_ABOLISHED = {"province": 110, "district": 30, "commune": 12}    # 152
WIN_DECISIONS = 42
OLD_ABOLISHED = {"province": 40, "district": 10, "commune": 5}      # abolished 2017-2019
TRANSFERRED = 180                                                   # district -> commune, 2025-07-01

# ---------------------------------------------------------------------------------------------------
# Fields: (weight, legal_days choices, fee probability, fee amounts in VND, base names)
# ---------------------------------------------------------------------------------------------------
P = {
    "Đất đai": (80, [10, 15, 20, 30, 30, 45], 0.6, [100_000, 500_000, 1_000_000, 2_000_000], [
        "Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất đối với tổ chức",
        "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với tổ chức",
        "Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất",
        "Đăng ký đất đai, tài sản gắn liền với đất lần đầu đối với tổ chức",
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất",
        "Đính chính Giấy chứng nhận đã cấp",
        "Tách thửa hoặc hợp thửa đất",
        "Cung cấp dữ liệu đất đai",
        "Xác định lại diện tích đất ở cho hộ gia đình, cá nhân đã được cấp Giấy chứng nhận",
        "Chuyển nhượng vốn đầu tư là giá trị quyền sử dụng đất",
        "Cấp Giấy chứng nhận quyền sử dụng đất cho người nhận chuyển nhượng quyền sử dụng đất của dự án",
        "Đăng ký chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền",
        "Giao đất, cho thuê đất thông qua đấu giá quyền sử dụng đất",
        "Cấp đổi Giấy chứng nhận do đo đạc lại bản đồ địa chính",
        "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề",
    ]),
    "Xây dựng": (70, [7, 10, 15, 20, 30], 0.5, [50_000, 100_000, 150_000, 300_000, 500_000], [
        "Cấp giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II",
        "Cấp giấy phép di dời công trình",
        "Cấp giấy phép sửa chữa, cải tạo công trình",
        "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
        "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
        "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
        "Kiểm tra công tác nghiệm thu hoàn thành công trình",
        "Thẩm định nhiệm vụ quy hoạch chi tiết xây dựng",
        "Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài",
        "Thẩm định đồ án quy hoạch chi tiết xây dựng",
    ]),
    "Nhà ở": (25, [15, 20, 30], 0.3, [100_000, 200_000], [
        "Thuê nhà ở công vụ thuộc thẩm quyền quản lý của Ủy ban nhân dân tỉnh",
        "Mua bán nhà ở xã hội do Nhà nước đầu tư xây dựng",
        "Chấp thuận chủ trương đầu tư dự án xây dựng nhà ở thương mại",
        "Công nhận chủ đầu tư dự án xây dựng nhà ở",
        "Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua",
        "Cấp chứng chỉ hành nghề môi giới bất động sản",
    ]),
    "Đầu tư tại Việt Nam": (55, [15, 15, 25, 35, 45], 0.1, [0], [
        "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
        "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "Điều chỉnh tên dự án đầu tư, tên và địa chỉ nhà đầu tư trong Giấy chứng nhận đăng ký đầu tư",
        "Chuyển nhượng dự án đầu tư",
        "Giãn tiến độ đầu tư",
        "Tạm ngừng, ngừng hoạt động của dự án đầu tư",
        "Chấm dứt hoạt động của dự án đầu tư",
        "Thành lập văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC",
        "Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài",
        "Đổi Giấy chứng nhận đăng ký đầu tư cho dự án hoạt động theo Giấy phép đầu tư",
        "Cung cấp thông tin về dự án đầu tư",
        "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án thuộc diện chấp thuận chủ trương đầu tư",
        "Điều chỉnh dự án đầu tư trong trường hợp chia, tách, sáp nhập dự án đầu tư",
        "Điều chỉnh dự án đầu tư khi nhà đầu tư chuyển nhượng vốn đầu tư",
        "Lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất",
        "Bảo đảm đầu tư trong trường hợp không được tiếp tục áp dụng ưu đãi đầu tư",
    ]),
    "Thành lập và hoạt động doanh nghiệp": (75, [3, 3, 3, 5], 0.6, [50_000, 100_000, 200_000], [
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "Đăng ký thành lập công ty cổ phần",
        "Đăng ký thành lập công ty hợp danh",
        "Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp",
        "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
        "Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp",
        "Thông báo thay đổi ngành, nghề kinh doanh",
        "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
        "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
        "Giải thể doanh nghiệp",
        "Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần",
        "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
        "Hiệu đính thông tin đăng ký doanh nghiệp",
        "Đăng ký doanh nghiệp đối với các công ty được thành lập trên cơ sở chia công ty",
        "Đăng ký doanh nghiệp đối với các công ty được thành lập trên cơ sở tách công ty",
        "Đăng ký doanh nghiệp đối với công ty được thành lập trên cơ sở hợp nhất công ty",
        "Thông báo thay đổi thông tin của cổ đông sáng lập công ty cổ phần chưa niêm yết",
        "Thông báo thay đổi nội dung đăng ký thuế",
        "Chấm dứt hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
        "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn",
        "Đăng ký thay đổi chủ sở hữu công ty trách nhiệm hữu hạn một thành viên",
        "Cấp Giấy xác nhận về việc thay đổi nội dung đăng ký doanh nghiệp",
    ]),
    "Giao thông đường bộ": (60, [3, 5, 7, 10, 15], 0.6, [30_000, 50_000, 135_000, 200_000], [
        "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
        "Cấp phù hiệu xe taxi, xe hợp đồng, xe vận tải hàng hóa bằng công-ten-nơ",
        "Cấp giấy phép lái xe quốc tế",
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Cấp giấy phép thi công công trình trên đường bộ đang khai thác",
        "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
        "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn",
        "Đăng ký khai thác tuyến vận tải hành khách cố định bằng xe ô tô",
        "Cấp giấy chứng nhận giáo viên dạy thực hành lái xe",
        "Cấp giấy phép xe tập lái",
        "Công bố đưa bến xe khách vào khai thác",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ đào tạo lái xe ô tô",
    ]),
    "Đường thủy nội địa": (40, [3, 5, 7, 10], 0.5, [20_000, 50_000, 100_000], [
        "Đăng ký phương tiện thủy nội địa lần đầu",
        "Đăng ký lại phương tiện thủy nội địa",
        "Xóa Giấy chứng nhận đăng ký phương tiện thủy nội địa",
        "Công bố hoạt động bến thủy nội địa",
        "Cấp Giấy phép hoạt động bến khách ngang sông",
        "Chấp thuận vận tải hành khách ngang sông",
        "Cấp Giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng",
        "Công bố mở luồng chuyên dùng nối với luồng quốc gia",
        "Thỏa thuận thông số kỹ thuật xây dựng cảng, bến thủy nội địa",
        "Công bố đóng cảng, bến thủy nội địa",
    ]),
    "Dược phẩm": (50, [10, 15, 20, 30], 0.7, [500_000, 1_000_000, 1_500_000], [
        "Cấp Chứng chỉ hành nghề dược",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán buôn thuốc",
        "Đánh giá đáp ứng Thực hành tốt cơ sở bán lẻ thuốc",
        "Cho phép hủy thuốc gây nghiện, thuốc hướng tâm thần, thuốc tiền chất",
        "Cấp giấy xác nhận nội dung thông tin, quảng cáo thuốc",
        "Công bố cơ sở đủ điều kiện sản xuất mỹ phẩm",
        "Cho phép mua thuốc gây nghiện, thuốc hướng thần để phục vụ điều trị",
        "Tiếp nhận phiếu công bố sản phẩm mỹ phẩm sản xuất trong nước",
    ]),
    "Khám bệnh, chữa bệnh": (55, [10, 20, 30, 45], 0.6, [360_000, 1_000_000, 1_500_000, 4_300_000], [
        "Cấp chứng chỉ hành nghề đối với người Việt Nam thuộc thẩm quyền của Sở Y tế",
        "Cấp giấy phép hoạt động đối với phòng khám đa khoa",
        "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa",
        "Cấp giấy phép hoạt động đối với phòng chẩn trị y học cổ truyền",
        "Cấp giấy phép hoạt động đối với trạm y tế cấp xã",
        "Cấp giấy phép hoạt động đối với dịch vụ xét nghiệm",
        "Cho phép người hành nghề được tiếp tục hành nghề khám bệnh, chữa bệnh",
        "Phê duyệt lần đầu danh mục kỹ thuật của cơ sở khám bệnh, chữa bệnh",
        "Cấp giấy chứng nhận là lương y",
        "Công bố đủ điều kiện thực hiện khám sức khỏe",
    ]),
    "Giáo dục và Đào tạo": (60, [5, 10, 15, 20], 0.15, [50_000, 100_000], [
        "Cấp phép hoạt động giáo dục kỹ năng sống và hoạt động giáo dục ngoài giờ chính khóa",
        "Thành lập trường trung học phổ thông công lập",
        "Cho phép trường trung học phổ thông hoạt động giáo dục",
        "Công nhận trường trung học đạt chuẩn quốc gia",
        "Chuyển trường đối với học sinh trung học phổ thông",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Cho phép thành lập trung tâm ngoại ngữ, tin học",
        "Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở nước ngoài cấp",
        "Xét tặng danh hiệu Nhà giáo Nhân dân, Nhà giáo Ưu tú",
        "Phúc khảo bài thi trung học phổ thông quốc gia",
        "Cho phép trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên hoạt động giáo dục",
        "Thành lập trường trung học phổ thông tư thục",
        "Cho phép trường phổ thông dân tộc nội trú hoạt động giáo dục",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh trung học phổ thông ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn",
        "Đăng ký dự thi cấp chứng chỉ ứng dụng công nghệ thông tin",
        "Tiếp nhận đối tượng học bồi dưỡng kiến thức dân tộc",
        "Cấp giấy chứng nhận kiểm định chất lượng giáo dục",
        "Thành lập trung tâm hỗ trợ và phát triển giáo dục hòa nhập",
    ]),
    "Việc làm": (35, [3, 5, 7, 15, 20], 0.4, [400_000, 600_000], [
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
        "Giải quyết hưởng trợ cấp thất nghiệp",
        "Tạm dừng hưởng trợ cấp thất nghiệp",
        "Chấm dứt hưởng trợ cấp thất nghiệp",
        "Hỗ trợ học nghề cho người lao động đang hưởng trợ cấp thất nghiệp",
        "Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp",
        "Đăng ký hợp đồng nhận lao động thực tập thời hạn dưới 90 ngày",
        "Cấp giấy phép hoạt động cho thuê lại lao động",
    ]),
    "An toàn, vệ sinh lao động": (20, [7, 10, 15], 0.4, [300_000, 500_000], [
        "Cấp Giấy chứng nhận đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao động hạng A",
        "Khai báo với Sở Lao động - Thương binh và Xã hội khi đưa vào sử dụng các loại máy, thiết bị có yêu cầu nghiêm ngặt",
        "Đăng ký nội quy lao động của doanh nghiệp",
        "Đăng ký thỏa ước lao động tập thể",
        "Gửi thang lương, bảng lương, định mức lao động của doanh nghiệp",
    ]),
    "Người có công": (45, [5, 10, 12, 20, 30], 0.0, [0], [
        "Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Campuchia",
        "Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng",
        "Giải quyết chế độ người hoạt động cách mạng hoặc hoạt động kháng chiến bị địch bắt tù, đày",
        "Giải quyết chế độ người hoạt động kháng chiến bị nhiễm chất độc hóa học",
        "Giám định lại thương tật do vết thương cũ tái phát và điều chỉnh chế độ",
        "Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú",
        "Cấp giấy xác nhận thân nhân của người có công",
        "Đính chính thông tin trên bia mộ liệt sĩ",
        "Cấp trích lục hoặc sao hồ sơ người có công với cách mạng",
        "Hưởng trợ cấp khi người có công đang hưởng trợ cấp ưu đãi từ trần",
        "Công nhận và giải quyết chế độ ưu đãi người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945",
    ]),
    "Văn hóa": (35, [5, 7, 10, 15], 0.6, [200_000, 500_000, 1_000_000, 1_500_000], [
        "Cấp giấy phép tổ chức biểu diễn nghệ thuật, trình diễn thời trang",
        "Cấp giấy phép tổ chức thi người đẹp, người mẫu",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ karaoke",
        "Cấp giấy phép phổ biến phim",
        "Cấp giấy phép tổ chức triển lãm mỹ thuật",
        "Cấp giấy phép xây dựng tượng đài, tranh hoành tráng",
        "Thông báo tổ chức lễ hội cấp tỉnh",
        "Cấp chứng chỉ hành nghề tu bổ di tích",
        "Cấp giấy phép nhập khẩu văn hóa phẩm không nhằm mục đích kinh doanh",
        "Xếp hạng di tích cấp tỉnh",
        "Công nhận bảo vật quốc gia",
    ]),
    "Du lịch": (22, [5, 10, 15], 0.6, [650_000, 2_000_000, 3_000_000], [
        "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa",
        "Cấp thẻ hướng dẫn viên du lịch nội địa",
        "Cấp thẻ hướng dẫn viên du lịch quốc tế",
        "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao",
        "Công nhận điểm du lịch",
        "Cấp Giấy phép thành lập văn phòng đại diện của doanh nghiệp kinh doanh dịch vụ lữ hành nước ngoài",
        "Công nhận cơ sở kinh doanh dịch vụ ăn uống đạt tiêu chuẩn phục vụ khách du lịch",
    ]),
    "Thể dục thể thao": (20, [5, 7, 10], 0.5, [500_000, 1_000_000], [
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
        "Đăng cai giải thi đấu, trận thi đấu thể thao thành tích cao khác do liên đoàn thể thao tỉnh tổ chức",
        "Phong cấp vận động viên, trọng tài thể thao",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao đối với môn bơi, lặn",
        "Công nhận Ban vận động thành lập hội thể thao cấp tỉnh",
    ]),
    "Lý lịch tư pháp": (4, [10, 10, 15], 1.0, [100_000, 200_000], [
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Cấp Phiếu lý lịch tư pháp cho người nước ngoài đã cư trú tại Việt Nam",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội",
        "Cấp Phiếu lý lịch tư pháp số 2 cho công dân Việt Nam",
        "Cấp Phiếu lý lịch tư pháp cho người đã được xóa án tích",
        "Cấp Phiếu lý lịch tư pháp qua ứng dụng định danh điện tử VNeID",
        "Cấp Phiếu lý lịch tư pháp cho người Việt Nam định cư ở nước ngoài",
    ]),
    "Công chứng": (25, [5, 7, 10, 20], 0.6, [500_000, 1_000_000], [
        "Bổ nhiệm công chứng viên",
        "Cấp Thẻ công chứng viên",
        "Thành lập Văn phòng công chứng",
        "Đăng ký hoạt động Văn phòng công chứng",
        "Chuyển nhượng Văn phòng công chứng",
        "Hợp nhất, sáp nhập Văn phòng công chứng",
        "Đăng ký hành nghề và cấp Thẻ công chứng viên",
        "Công chứng hợp đồng, giao dịch đã được soạn thảo sẵn",
    ]),
    "Luật sư": (7, [7, 10, 15], 0.6, [100_000, 500_000], [
        "Đăng ký hoạt động của tổ chức hành nghề luật sư",
        "Thay đổi người đại diện theo pháp luật của văn phòng luật sư, công ty luật",
        "Đăng ký hành nghề luật sư với tư cách cá nhân",
        "Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
        "Hợp nhất, sáp nhập công ty luật",
    ]),
    "Quốc tịch": (5, [20, 30, 45], 1.0, [100_000, 2_500_000, 3_000_000], [
        "Thủ tục nhập quốc tịch Việt Nam",
        "Thủ tục trở lại quốc tịch Việt Nam",
        "Thủ tục thôi quốc tịch Việt Nam",
        "Thủ tục cấp Giấy xác nhận có quốc tịch Việt Nam",
        "Thủ tục cấp Giấy xác nhận là người gốc Việt Nam",
    ]),
    "Môi trường": (40, [15, 20, 30, 45], 0.6, [500_000, 2_000_000, 5_000_000, 10_000_000], [
        "Thẩm định, phê duyệt báo cáo đánh giá tác động môi trường",
        "Cấp giấy phép môi trường",
        "Đăng ký môi trường",
        "Kiểm tra, xác nhận hoàn thành công trình bảo vệ môi trường",
        "Cấp giấy phép xử lý chất thải nguy hại",
        "Đăng ký chủ nguồn thải chất thải nguy hại",
        "Thẩm định phương án cải tạo, phục hồi môi trường trong hoạt động khai thác khoáng sản",
        "Xác nhận kế hoạch bảo vệ môi trường",
    ]),
    "Tài nguyên nước": (25, [10, 20, 30], 0.7, [1_000_000, 3_000_000, 6_000_000], [
        "Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000 m3/ngày đêm",
        "Cấp giấy phép khai thác, sử dụng nước dưới đất",
        "Cấp giấy phép khai thác, sử dụng nước mặt",
        "Cấp giấy phép xả nước thải vào nguồn nước",
        "Cấp giấy phép hành nghề khoan nước dưới đất quy mô vừa và nhỏ",
        "Lấy ý kiến Ủy ban nhân dân cấp tỉnh đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh",
    ]),
    "Trồng trọt": (25, [5, 10, 15], 0.4, [200_000, 500_000], [
        "Cấp Quyết định công nhận cây đầu dòng, vườn cây đầu dòng",
        "Cấp Giấy chứng nhận đủ điều kiện sản xuất phân bón",
        "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón",
        "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
        "Cấp giấy phép vận chuyển thuốc bảo vệ thực vật",
        "Tiếp nhận công bố hợp quy giống cây trồng",
        "Cấp giấy xác nhận nội dung quảng cáo thuốc bảo vệ thực vật",
    ]),
    "Thú y": (30, [3, 5, 10, 15], 0.7, [60_000, 120_000, 230_000], [
        "Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật",
        "Cấp Chứng chỉ hành nghề thú y",
        "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc thú y",
        "Cấp giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
        "Cấp Giấy chứng nhận đủ điều kiện vệ sinh thú y",
        "Cấp giấy xác nhận nội dung quảng cáo thuốc thú y",
        "Đăng ký kiểm dịch động vật, sản phẩm động vật thủy sản",
    ]),
    "Thủy sản": (45, [3, 5, 7, 10, 15], 0.5, [40_000, 100_000, 500_000], [
        "Cấp giấy phép khai thác thủy sản",
        "Cấp văn bản chấp thuận đóng mới, cải hoán, thuê, mua tàu cá",
        "Đăng ký tàu cá",
        "Xóa đăng ký tàu cá",
        "Cấp Giấy chứng nhận an toàn kỹ thuật tàu cá",
        "Cấp giấy chứng nhận nguồn gốc thủy sản khai thác",
        "Công bố mở cảng cá loại II",
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện sản xuất, ương dưỡng giống thủy sản",
        "Cấp giấy xác nhận đăng ký nuôi trồng thủy sản lồng bè, đối tượng thủy sản nuôi chủ lực",
        "Giao khu vực biển để nuôi trồng thủy sản cho tổ chức, cá nhân",
        "Cấp Giấy chứng nhận đủ điều kiện sản xuất thức ăn thủy sản",
    ]),
    "Lâm nghiệp": (25, [5, 10, 15, 20], 0.2, [100_000], [
        "Phê duyệt phương án quản lý rừng bền vững của chủ rừng là tổ chức",
        "Chuyển loại rừng đối với khu rừng do Ủy ban nhân dân cấp tỉnh quyết lập",
        "Phê duyệt phương án trồng rừng thay thế",
        "Cấp giấy phép xuất khẩu, nhập khẩu mẫu vật động vật, thực vật hoang dã",
        "Đăng ký mã số cơ sở nuôi, trồng các loài động vật rừng, thực vật rừng",
        "Xác nhận bảng kê lâm sản",
        "Thẩm định, phê duyệt hồ sơ thiết kế, dự toán công trình lâm sinh",
    ]),
    "Công nghiệp": (35, [5, 7, 10, 15], 0.5, [200_000, 600_000, 1_200_000], [
        "Cấp Giấy chứng nhận đủ điều kiện sản xuất hóa chất sản xuất, kinh doanh có điều kiện",
        "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp",
        "Cấp Giấy phép hoạt động phát điện đối với nhà máy có quy mô dưới 3MW",
        "Cấp Giấy phép hoạt động phân phối điện đến cấp điện áp 35 kV",
        "Huấn luyện và cấp mới thẻ an toàn điện",
        "Cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp",
        "Thẩm định thiết kế kỹ thuật công trình đường dây và trạm biến áp",
        "Cấp Giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh khí",
    ]),
    "Thương mại": (45, [5, 7, 10, 15], 0.6, [400_000, 1_000_000, 1_200_000, 3_000_000], [
        "Cấp Giấy phép kinh doanh đối với hoạt động mua bán hàng hóa cho tổ chức kinh tế có vốn đầu tư nước ngoài",
        "Cấp Giấy phép lập cơ sở bán lẻ",
        "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
        "Cấp Giấy phép bán buôn rượu",
        "Cấp Giấy phép bán buôn sản phẩm thuốc lá",
        "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
        "Đăng ký tổ chức hội chợ, triển lãm thương mại tại Việt Nam",
        "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi",
        "Đăng ký hoạt động bán hàng đa cấp tại địa phương",
        "Cấp Giấy chứng nhận đủ điều kiện làm thương nhân phân phối xăng dầu",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh LPG",
    ]),
    "An toàn thực phẩm": (25, [7, 10, 15, 20], 0.8, [500_000, 700_000, 1_000_000], [
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Cấp Giấy xác nhận nội dung quảng cáo thực phẩm",
        "Đăng ký bản công bố sản phẩm thực phẩm dinh dưỡng y học",
        "Cấp giấy chứng nhận lưu hành tự do đối với thực phẩm xuất khẩu",
        "Xác nhận kiến thức về an toàn thực phẩm",
    ]),
    "Khoa học và Công nghệ": (30, [5, 10, 15, 20], 0.3, [200_000, 500_000], [
        "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        "Cấp Giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "Cấp chứng chỉ nhân viên bức xạ",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        "Xác định nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng ngân sách nhà nước",
        "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
        "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "Xét tặng Giải thưởng Khoa học và Công nghệ cấp tỉnh",
    ]),
    "Thông tin và Truyền thông": (30, [5, 7, 10, 15], 0.4, [100_000, 500_000], [
        "Cấp giấy phép xuất bản bản tin",
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
        "Cấp giấy phép hoạt động in",
        "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
        "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm",
        "Đăng ký hoạt động phát hành xuất bản phẩm",
    ]),
    "Nội vụ": (30, [10, 15, 20, 30], 0.0, [0], [
        "Thẩm định việc thành lập đơn vị sự nghiệp công lập",
        "Thẩm định việc tổ chức lại, giải thể đơn vị sự nghiệp công lập",
        "Thi tuyển công chức",
        "Xét tuyển viên chức",
        "Thăng hạng chức danh nghề nghiệp viên chức",
        "Tiếp nhận vào làm công chức",
        "Công nhận ban vận động thành lập hội",
        "Phê duyệt điều lệ hội",
        "Thành lập hội có phạm vi hoạt động trong tỉnh",
        "Cấp giấy phép thành lập và công nhận điều lệ quỹ",
        "Nộp lưu hồ sơ, tài liệu vào Lưu trữ lịch sử",
    ]),
    "Thi đua, khen thưởng": (15, [10, 15, 20], 0.0, [0], [
        "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
        "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        "Tặng danh hiệu Tập thể lao động xuất sắc",
        "Tặng Bằng khen theo đợt hoặc chuyên đề",
        "Khen thưởng đối ngoại",
        "Tặng danh hiệu Tập thể lao động xuất sắc về thành tích đột xuất",
        "Xét tặng Huân chương Lao động",
        "Tặng Kỷ niệm chương của tỉnh",
    ]),
    "Tôn giáo": (8, [20, 30, 45, 60], 0.0, [0], [
        "Đăng ký sinh hoạt tôn giáo tập trung",
        "Thành lập, chia, tách, sáp nhập, hợp nhất tổ chức tôn giáo trực thuộc",
        "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô tổ chức ở nhiều huyện",
        "Đăng ký người được phong phẩm hoặc suy cử làm chức sắc",
        "Đề nghị tổ chức hội nghị thường niên của tổ chức tôn giáo",
        "Thông báo thuyên chuyển chức sắc, chức việc, nhà tu hành",
        "Đề nghị tổ chức đại hội của tổ chức tôn giáo cấp trung ương, tổ chức được cấp chứng nhận đăng ký có địa bàn hoạt động ở nhiều tỉnh",
        "Đề nghị cải tạo, nâng cấp, xây dựng mới công trình tín ngưỡng, công trình tôn giáo",
        "Đăng ký mở lớp bồi dưỡng về tôn giáo cho người chuyên hoạt động tôn giáo",
    ]),
    "Tài chính": (30, [5, 10, 15, 20, 30], 0.1, [0], [
        "Cấp mã số đơn vị có quan hệ với ngân sách",
        "Quyết định giá thuộc thẩm quyền của Ủy ban nhân dân tỉnh",
        "Đăng ký giá của các doanh nghiệp thuộc phạm vi cấp tỉnh",
        "Quyết định thanh lý tài sản công",
        "Quyết định điều chuyển tài sản công",
        "Quyết định bán tài sản công",
        "Quyết toán dự án hoàn thành sử dụng vốn nhà nước",
        "Xác nhận tài sản công bị mất, bị hủy hoại",
    ]),
    "Phòng, chống tệ nạn xã hội": (10, [7, 10, 15], 0.0, [0], [
        "Cấp giấy phép thành lập cơ sở cai nghiện ma túy tự nguyện",
        "Cấp giấy phép hoạt động cai nghiện ma túy tự nguyện",
        "Thành lập cơ sở hỗ trợ nạn nhân của tội phạm mua bán người",
    ]),
    "Giáo dục nghề nghiệp": (25, [10, 15, 20], 0.1, [100_000], [
        "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp đối với trung tâm giáo dục nghề nghiệp",
        "Thành lập trung tâm giáo dục nghề nghiệp công lập",
        "Cấp lại giấy chứng nhận đăng ký hoạt động liên kết đào tạo với nước ngoài",
        "Thay đổi tên trung tâm giáo dục nghề nghiệp",
        "Chấm dứt hoạt động liên kết đào tạo với nước ngoài",
        "Cho phép thành lập trung tâm giáo dục nghề nghiệp tư thục",
        "Công nhận giám đốc trung tâm giáo dục nghề nghiệp tư thục",
        "Thẩm định hồ sơ cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp",
    ]),
}

DISTRICT = {
    "Hộ tịch": (45, [1, 3, 5, 10, 15], 0.7, [50_000, 100_000, 1_000_000, 1_500_000], [
        "Đăng ký khai sinh có yếu tố nước ngoài",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Đăng ký khai tử có yếu tố nước ngoài",
        "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
        "Đăng ký thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc",
        "Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
        "Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn đã được giải quyết tại nước ngoài",
        "Đăng ký giám hộ có yếu tố nước ngoài",
        "Đăng ký lại khai sinh có yếu tố nước ngoài",
        "Đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ, giấy tờ cá nhân",
        "Đăng ký chấm dứt giám hộ có yếu tố nước ngoài",
        "Đăng ký khai sinh cho người đã đăng ký khai sinh tại cơ quan đại diện của Việt Nam ở nước ngoài",
        "Ghi vào Sổ hộ tịch việc hộ tịch khác của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài",
        "Đăng ký lại kết hôn có yếu tố nước ngoài",
        "Đăng ký lại khai tử có yếu tố nước ngoài",
        "Cấp bản sao trích lục hộ tịch có yếu tố nước ngoài",
    ]),
    "Chứng thực": (22, [1, 1, 2, 3], 0.9, [2_000, 10_000, 25_000, 50_000], [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của nước ngoài cấp",
        "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật",
        "Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "Sửa lỗi sai sót trong hợp đồng, giao dịch",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản",
        "Chứng thực di chúc có yếu tố nước ngoài",
        "Chứng thực hợp đồng ủy quyền liên quan đến tài sản là động sản",
        "Chứng thực chữ ký trong giấy tờ, văn bản bằng tiếng nước ngoài",
        "Chứng thực văn bản khai nhận di sản mà di sản là động sản",
        "Chứng thực văn bản từ chối nhận di sản mà di sản là động sản",
    ]),
    "Đất đai": (40, [10, 15, 20, 30], 0.5, [25_000, 50_000, 100_000], [
        "Giao đất, cho thuê đất cho hộ gia đình, cá nhân",
        "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
        "Thu hồi đất ở trong khu vực bị ô nhiễm môi trường có nguy cơ đe dọa tính mạng con người",
        "Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
        "Đăng ký biến động về sử dụng đất do đổi tên, giảm diện tích thửa đất do sạt lở tự nhiên",
        "Gia hạn sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Thẩm định phương án bồi thường, hỗ trợ, tái định cư",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
        "Đăng ký chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Tách thửa đất ở của hộ gia đình, cá nhân",
        "Cung cấp thông tin đất đai cấp huyện",
        "Đăng ký đất đai lần đầu đối với trường hợp được Nhà nước giao đất để quản lý",
        "Xóa đăng ký cho thuê, cho thuê lại quyền sử dụng đất",
        "Chuyển đổi quyền sử dụng đất nông nghiệp để thực hiện dồn điền, đổi thửa",
        "Đăng ký góp vốn bằng quyền sử dụng đất của hộ gia đình, cá nhân",
    ]),
    "Xây dựng": (25, [7, 10, 15, 20], 0.5, [50_000, 75_000, 100_000], [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Cấp giấy phép xây dựng công trình cấp III, cấp IV",
        "Cấp giấy phép xây dựng có thời hạn",
        "Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
        "Thẩm định đồ án quy hoạch chi tiết xây dựng thuộc thẩm quyền cấp huyện",
        "Cấp giấy phép chặt hạ, dịch chuyển cây xanh đô thị",
    ]),
    "Thành lập và hoạt động của hộ kinh doanh": (25, [3, 3, 5], 0.8, [50_000, 100_000], [
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng hoạt động hộ kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
        "Chấm dứt hoạt động hộ kinh doanh",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
        "Đăng ký thành lập, hoạt động hợp tác xã",
        "Giải thể tự nguyện hợp tác xã",
        "Đăng ký thay đổi tên, địa chỉ trụ sở chính của hợp tác xã",
        "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
        "Thông báo thay đổi nội dung đăng ký hợp tác xã",
        "Cấp Giấy chứng nhận đăng ký hợp tác xã",
    ]),
    "Bảo trợ xã hội": (30, [7, 10, 15, 20], 0.0, [0], [
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
        "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp huyện",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội có phạm vi hoạt động trong một huyện",
        "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Phòng Lao động",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "Chi trả trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú trong cùng địa bàn huyện",
        "Hỗ trợ chi phí mai táng cho hộ gia đình có người chết do thiên tai",
        "Cấp thẻ bảo hiểm y tế cho đối tượng bảo trợ xã hội",
        "Quyết định trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú giữa các quận, huyện",
        "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng thuộc thẩm quyền cấp huyện",
        "Hỗ trợ chi phí chăm sóc, nuôi dưỡng đối tượng bảo trợ xã hội tại cộng đồng",
    ]),
    "Người có công": (12, [5, 10, 15], 0.0, [0], [
        "Hỗ trợ người có công đi làm phương tiện, dụng cụ trợ giúp chỉnh hình",
        "Giải quyết chế độ mai táng phí đối với cựu chiến binh",
        "Giải quyết trợ cấp một lần đối với người có thành tích tham gia kháng chiến",
        "Hỗ trợ cải thiện nhà ở đối với người có công với cách mạng",
        "Giải quyết chế độ ưu đãi trong giáo dục đào tạo đối với con của người có công",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
        "Giải quyết chế độ trợ cấp đối với dân quân tập trung ở miền Bắc, du kích tập trung ở miền Nam",
        "Xác nhận thương binh, bệnh binh để hưởng chế độ ưu đãi trong giáo dục",
    ]),
    "Giáo dục và Đào tạo": (30, [5, 10, 15, 20], 0.0, [0], [
        "Thành lập trường mẫu giáo, trường mầm non, nhà trẻ",
        "Cho phép trường mầm non hoạt động giáo dục",
        "Thành lập trường tiểu học công lập",
        "Cho phép trường tiểu học hoạt động giáo dục",
        "Thành lập trường trung học cơ sở công lập",
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Công nhận trường mầm non đạt chuẩn quốc gia",
        "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
        "Xét cấp học bổng chính sách",
        "Sáp nhập, chia, tách trường trung học cơ sở",
    ]),
    "Văn hóa": (15, [5, 7, 10], 0.5, [100_000, 500_000], [
        "Cấp Giấy phép kinh doanh karaoke do cơ quan cấp huyện cấp",
        "Công nhận lần đầu Cơ quan đạt chuẩn văn hóa, Đơn vị đạt chuẩn văn hóa, Doanh nghiệp đạt chuẩn văn hóa",
        "Xét tặng Giấy khen Gia đình văn hóa",
        "Thủ tục công nhận lần đầu danh hiệu phường, thị trấn đạt chuẩn văn minh đô thị",
        "Thông báo tổ chức lễ hội cấp huyện",
    ]),
    "Lưu thông hàng hóa trong nước": (10, [7, 10, 15], 0.9, [200_000, 400_000], [
        "Cấp Giấy phép bán lẻ rượu",
        "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
        "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
        "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai",
    ]),
    "Tôn giáo": (5, [15, 20, 30], 0.0, [0], [
        "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã",
        "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô tổ chức ở một huyện",
        "Đăng ký bổ sung hoạt động tôn giáo",
        "Đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo",
    ]),
    "Môi trường": (10, [10, 15, 20], 0.2, [200_000], [
        "Xác nhận đăng ký kế hoạch bảo vệ môi trường",
        "Đăng ký môi trường đối với dự án, cơ sở thuộc thẩm quyền cấp huyện",
        "Tham vấn trong đánh giá tác động môi trường",
        "Thẩm định, phê duyệt phương án xử lý rác thải sinh hoạt cấp huyện",
        "Cấp giấy phép môi trường đối với cơ sở thuộc thẩm quyền cấp huyện",
    ]),
    "Nông nghiệp": (12, [5, 7, 10], 0.1, [50_000], [
        "Cấp Giấy chứng nhận kinh tế trang trại",
        "Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình vùng hạ du đập",
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh",
        "Phê duyệt kế hoạch khuyến nông địa phương",
    ]),
}

COMMUNE = {
    "Hộ tịch": (35, [1, 1, 3, 5], 0.6, [5_000, 8_000, 10_000], [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Đăng ký nhận cha, mẹ, con",
        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        "Đăng ký giám hộ",
        "Đăng ký chấm dứt giám hộ",
        "Đăng ký thay đổi, cải chính hộ tịch cho người chưa đủ 14 tuổi",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Đăng ký khai sinh lưu động",
        "Đăng ký kết hôn lưu động",
        "Cấp bản sao trích lục hộ tịch",
        "Đăng ký lại khai tử",
    ]),
    "Chứng thực": (20, [1, 1, 2], 1.0, [2_000, 10_000, 30_000, 50_000], [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
        "Chứng thực di chúc",
        "Chứng thực văn bản từ chối nhận di sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là quyền sử dụng đất, nhà ở",
        "Chứng thực văn bản khai nhận di sản",
        "Chứng thực chữ ký người thực hiện chứng thực",
        "Chứng thực việc sửa lỗi sai sót trong hợp đồng, giao dịch",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực tại cấp xã",
        "Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản",
        "Chứng thực hợp đồng ủy quyền",
    ]),
    "Bảo trợ xã hội": (12, [3, 7, 10], 0.0, [0], [
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "Đổi, cấp lại Giấy xác nhận khuyết tật",
        "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn",
        "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        "Công nhận hộ thoát nghèo, thoát cận nghèo trong năm",
        "Hỗ trợ chi phí điều trị cho người bị bạo lực gia đình",
    ]),
    "Người có công": (10, [3, 5, 10], 0.0, [0], [
        "Thủ tục xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ",
        "Thủ tục ủy quyền hưởng trợ cấp, phụ cấp ưu đãi",
        "Thủ tục xác nhận vào đơn đề nghị thăm viếng mộ liệt sĩ",
        "Thủ tục giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "Thủ tục giải quyết chế độ mai táng phí đối với thanh niên xung phong",
    ]),
    "Đất đai": (10, [10, 15, 30, 45], 0.0, [0], [
        "Hòa giải tranh chấp đất đai",
        "Xác nhận hộ gia đình, cá nhân trực tiếp sản xuất nông nghiệp",
        "Xác nhận nguồn gốc, thời điểm sử dụng đất",
        "Xác nhận hiện trạng sử dụng đất",
        "Tiếp nhận hồ sơ đăng ký đất đai lần đầu",
        "Đăng ký biến động đất đai tại cấp xã",
        "Xác nhận đơn đề nghị cấp Giấy chứng nhận quyền sử dụng đất",
    ]),
    "Nông nghiệp": (10, [5, 7, 10], 0.0, [0], [
        "Hỗ trợ dự án liên kết sản xuất nông nghiệp",
        "Phê duyệt kế hoạch khuyến nông cấp xã",
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh động vật",
        "Đăng ký hoạt động của tổ hợp tác",
    ]),
    "Thi đua, khen thưởng": (6, [5, 10], 0.0, [0], [
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        "Tặng danh hiệu Lao động tiên tiến",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất",
        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình",
        "Xét tặng danh hiệu Chiến sĩ thi đua cơ sở",
    ]),
    "Giáo dục và Đào tạo": (6, [5, 10, 15], 0.0, [0], [
        "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động",
        "Thành lập nhóm trẻ, lớp mẫu giáo độc lập",
        "Cho phép cơ sở giáo dục khác thực hiện chương trình giáo dục tiểu học",
        "Giải thể nhóm trẻ, lớp mẫu giáo độc lập",
    ]),
    "Hòa giải ở cơ sở": (5, [3, 5], 0.0, [0], [
        "Công nhận hòa giải viên",
        "Thôi làm hòa giải viên",
        "Thanh toán thù lao cho hòa giải viên",
        "Công nhận tổ trưởng tổ hòa giải",
    ]),
    "Phổ biến, giáo dục pháp luật": (4, [5, 7], 0.0, [0], [
        "Công nhận báo cáo viên pháp luật",
        "Miễn nhiệm báo cáo viên pháp luật",
        "Công nhận tuyên truyền viên pháp luật",
    ]),
    "Văn hóa": (6, [5, 7], 0.0, [0], [
        "Xét tặng danh hiệu Gia đình văn hóa hàng năm",
        "Thông báo tổ chức lễ hội cấp xã",
        "Xét tặng danh hiệu Khu dân cư văn hóa",
        "Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản",
    ]),
    "Tín ngưỡng, tôn giáo": (3, [5, 10, 20], 0.0, [0], [
        "Đăng ký hoạt động tín ngưỡng",
        "Đăng ký người đại diện cơ sở tín ngưỡng",
        "Thông báo tổ chức quyên góp ngoài địa bàn một xã",
    ]),
}

FIELDS = {"province": P, "district": DISTRICT, "commune": COMMUNE}

# Realistic variants of a base name: (prefix of the base, replacement prefixes)
DOCS = ("giấy", "Giấy", "chứng chỉ", "Chứng chỉ", "thẻ", "Thẻ", "phù hiệu", "Quyết định", "văn bản", "mã số")
VERB_VARIANTS = [   # (prefix of the base, words that may follow it, replacement prefixes)
    ("Cấp ", DOCS, ["Cấp lại ", "Gia hạn ", "Điều chỉnh ", "Cấp đổi ", "Thu hồi "]),
    ("Thẩm định ", None, ["Thẩm định điều chỉnh "]),
    ("Công nhận ", None, ["Công nhận lại ", "Thu hồi quyết định công nhận "]),
    ("Phê duyệt ", None, ["Phê duyệt điều chỉnh "]),
    ("Thành lập ", None, ["Sáp nhập, chia, tách ", "Giải thể "]),
    ("Cho phép ", None, ["Thu hồi quyết định cho phép "]),
    ("Chấp thuận ", None, ["Điều chỉnh văn bản chấp thuận "]),
    ("Công bố ", ("hoạt động", "cơ sở", "mở"), ["Công bố lại "]),
    ("Giải quyết ", ("chế độ", "trợ cấp", "hưởng"), ["Điều chỉnh "]),
]
NOT_A_NOUN = ("lại ", "đổi ", "mới ", "thay đổi ", "điều chỉnh ", "hồi ")
# fields about people or public bodies: no "đối với tổ chức / cá nhân / doanh nghiệp" qualifiers
SOCIAL = {"Người có công", "Bảo trợ xã hội", "Hộ tịch", "Thi đua, khen thưởng", "Nội vụ", "Quốc tịch",
          "Lý lịch tư pháp", "Tôn giáo", "Tín ngưỡng, tôn giáo", "Hòa giải ở cơ sở", "Phổ biến, giáo dục pháp luật",
          "Giáo dục và Đào tạo", "Phòng, chống tệ nạn xã hội", "Chứng thực"}
EXTRA = {
    "Giáo dục và Đào tạo": [" đối với cơ sở giáo dục ngoài công lập", " đối với cơ sở giáo dục công lập",
                            " đối với cơ sở giáo dục có vốn đầu tư nước ngoài"],
    "Người có công": [" đối với thân nhân người có công", " đối với thương binh, người hưởng chính sách như thương binh"],
    "Thi đua, khen thưởng": [" cho tập thể", " cho cá nhân", " cho doanh nghiệp"],
    "Thành lập và hoạt động doanh nghiệp": [" đối với doanh nghiệp xã hội", " trường hợp chuyển đổi từ hộ kinh doanh"],
    "Đất đai": [" đối với cơ sở tôn giáo", " đối với người Việt Nam định cư ở nước ngoài"],
    "Nội vụ": [" đối với đơn vị sự nghiệp công lập"],
    "Việc làm": [" đối với người lao động", " đối với doanh nghiệp"],
    "Bảo trợ xã hội": [" đối với người khuyết tật", " đối với trẻ em có hoàn cảnh đặc biệt"],
}
ECONOMIC = {"Đầu tư tại Việt Nam", "Xây dựng", "Môi trường", "Công nghiệp", "Thương mại", "Đất đai", "Nhà ở",
            "Tài nguyên nước", "An toàn, vệ sinh lao động"}
FOREIGN = {"Đầu tư tại Việt Nam", "Thương mại", "Công nghiệp", "Du lịch", "Khám bệnh, chữa bệnh",
           "Thành lập và hoạt động doanh nghiệp"}
AUTHORITY = {"province": " thuộc thẩm quyền của Ủy ban nhân dân tỉnh",
             "district": " thuộc thẩm quyền của Ủy ban nhân dân cấp huyện",
             "commune": " thuộc thẩm quyền của Ủy ban nhân dân cấp xã"}
LOST = " (trường hợp bị mất, hư hỏng)"


def suffixes(level: str, field: str) -> list[str]:
    out = [AUTHORITY[level], LOST] + EXTRA.get(field, [])
    if field not in SOCIAL:
        out += [" đối với tổ chức", " đối với hộ gia đình, cá nhân" if level != "province" else " đối với cá nhân"]
    if level == "province" and field in ECONOMIC:
        out.append(" trong khu kinh tế, khu công nghiệp")
    if level == "province" and field in FOREIGN:
        out.append(" đối với doanh nghiệp có vốn đầu tư nước ngoài")
    if level == "district" and field in ECONOMIC:
        out.append(" trên địa bàn đô thị")
    if field in SOCIAL and level != "province":
        out.append(" trên địa bàn xã" if level == "commune" else " trên địa bàn huyện")
    if field == "Hộ tịch":
        out.append(" cho người đang cư trú ở nước ngoài" if level != "district" else " tại Ủy ban nhân dân cấp huyện")
    return out


def name_pool(level: str, field: str, bases: list[str], rng: random.Random) -> list[str]:
    """Every name a field can use, most natural first: bases, verb variants, then qualified variants."""
    variants = list(VERB_VARIANTS)
    if field == "Hộ tịch":
        variants.append(("Đăng ký ", ("khai sinh", "kết hôn", "khai tử"), ["Đăng ký lại "]))
    tiers: list[list[str]] = [list(bases), [], []]
    for b in bases:
        for prefix, nxt, repl in variants:
            if b.startswith(prefix):
                rest = b[len(prefix):]
                if not rest.startswith(NOT_A_NOUN) and (nxt is None or rest.startswith(nxt)):
                    tiers[1].extend(r + rest for r in repl)
                break
    for b in bases + tiers[1]:
        if "trường hợp" in b:
            continue
        for s in suffixes(level, field):
            if s == LOST and not b.startswith(("Cấp lại", "Cấp đổi")):
                continue
            if ("đối với" in b or "thẩm quyền" in b or " cho " in b or "cá nhân" in b or "tổ chức" in b) \
                    and ("đối với" in s or "thẩm quyền" in s or " cho " in s):
                continue
            if "địa bàn" in s and ("xã" in b or "huyện" in b or "địa bàn" in b):
                continue
            tiers[2].append(b + s)
    out: list[str] = []
    for t in tiers:
        t = list(dict.fromkeys(t))
        rng.shuffle(t)
        out.extend(t)
    return out


def commune_name(name: str) -> str:
    """The name a district procedure takes when it moves to the commune level (1/7/2025)."""
    for a, b in (("cấp huyện", "cấp xã"), ("một huyện", "một xã"), ("địa bàn huyện", "địa bàn xã"),
                 ("Phòng Lao động", "Ủy ban nhân dân cấp xã")):
        name = name.replace(a, b)
    return name


# ---------------------------------------------------------------------------------------------------
class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(2020)
        self.rows: list[dict] = []
        self.codes: set[str] = set()
        self.dec_numbers: set[int] = set()
        self.names = {lv: collections.defaultdict(list) for lv in FIELDS}
        self.used_names: dict[str, set[str]] = {lv: set() for lv in FIELDS}
        for lv, fields in FIELDS.items():
            for f, spec in fields.items():
                self.names[lv][f] = name_pool(lv, f, spec[4], self.rng)

    # -- helpers ------------------------------------------------------------------------------------
    def rand_date(self, a: D, b: D) -> D:
        return a + dt.timedelta(days=self.rng.randint(0, (b - a).days))

    def workday(self, a: D, b: D) -> D:
        while True:
            d = self.rand_date(a, b)
            if d.weekday() < 5:
                return d

    def decision(self, day: D) -> tuple[str, D]:
        """A Cà Mau provincial decision: numbers grow through the year, unique across the data set."""
        base = 1 + int((day.timetuple().tm_yday - 1) / 366 * 2300)
        n = base + self.rng.randint(0, 25)
        while n in self.dec_numbers:
            n += 1
        self.dec_numbers.add(n)
        return f"{n}/QĐ-UBND", day

    def code(self, start: D) -> str:
        yr_ranges = {2020: 8600, 2021: 9400, 2022: 10200, 2023: 11100, 2024: 12000, 2025: 13000, 2026: 14100}
        while True:
            if start.year < 2020 or (start.year == 2020 and start < WIN_FROM):
                c = f"1.{self.rng.randint(100, 8500):06d}" if self.rng.random() < 0.65 \
                    else f"2.{self.rng.randint(100, 2900):06d}"
            else:
                lo = yr_ranges[start.year]
                c = f"{1 if self.rng.random() < 0.9 else 2}.{self.rng.randint(lo, lo + 700):06d}"
            if c not in self.codes:
                self.codes.add(c)
                return c

    def pick_fields(self, level: str, n: int) -> list[str]:
        """n fields for level, proportional to weights (largest remainder), in a shuffled order."""
        fields = FIELDS[level]
        tot = sum(s[0] for s in fields.values())
        quota = {f: n * s[0] / tot for f, s in fields.items()}
        cnt = {f: int(q) for f, q in quota.items()}
        rest = sorted(fields, key=lambda f: -(quota[f] - cnt[f]))
        for f in rest[: n - sum(cnt.values())]:
            cnt[f] += 1
        out = [f for f in fields for _ in range(cnt[f])]
        self.rng.shuffle(out)
        return out

    def take_name(self, level: str, field: str) -> tuple[str, str]:
        """An unused name of the field; if the field has none left, one of the field with most left."""
        for f in (field, max(sorted(self.names[level]), key=lambda k: len(self.names[level][k]))):
            pool = self.names[level][f]
            while pool:
                nm = pool.pop(0)
                if nm not in self.used_names[level]:
                    self.used_names[level].add(nm)
                    return nm, f
        raise RuntimeError(f"name pool exhausted: {level}")

    def new(self, level: str, field: str, valid_from: D, dec: tuple[str, D], name: str | None = None,
            public: bool = True) -> dict:
        rng = self.rng
        if name is None:
            name, field = self.take_name(level, field)
        else:
            self.used_names[level].add(name)
        spec = FIELDS[level][field]
        days = rng.choice(spec[1])
        if name.startswith(("Cấp lại", "Cấp đổi", "Đăng ký lại", "Gia hạn", "Điều chỉnh")):
            days = max(1, round(days * 0.6))
        has_fee = rng.random() < spec[2] and max(spec[3]) > 0
        fee = rng.choice([a for a in spec[3] if a > 0]) if has_fee else 0
        row = {
            "procedure_code": self.code(valid_from), "name": name, "field": field, "level": level,
            "online_level": None, "legacy_level": None, "legal_days": days,
            "has_fee": has_fee, "fee_amount": fee, "requires_paper_result": rng.random() < 0.85,
            "is_public_national": public, "announce_decision_no": dec[0], "announce_decision_date": dec[1],
            "valid_from": valid_from, "valid_to": None, "_window": False,
        }
        self.rows.append(row)
        return row

    def in_force(self, r: dict, day: D) -> bool:
        return r["valid_from"] <= day and (r["valid_to"] is None or r["valid_to"] >= day)

    # -- the story ----------------------------------------------------------------------------------
    def build(self) -> list[dict]:
        rng = self.rng
        # Announcement decisions 2017-2019 (sector by sector, ~45 a year)
        old_decs = sorted(self.decision(self.workday(D(y, 1, 2), D(y, 12, 28)))
                          for y in (2017, 2018, 2019) for _ in range(45))
        field_decs: dict[tuple[str, str], list] = {}

        def old_dec(level: str, field: str) -> tuple[str, D]:
            key = (level, field)
            if key not in field_decs:
                field_decs[key] = rng.sample(old_decs, 4)
            return rng.choice(field_decs[key])

        # 1) baseline in force on 2020-04-30, announced 2017-2019 (80 % valid from the decision date)
        for level, n in IN_FORCE_2020.items():
            for f in self.pick_fields(level, n - WIN_KEPT.get(level, 0)):
                dec = old_dec(level, f)
                vf = dec[1] if rng.random() < 0.8 else self.rand_date(D(2014, 1, 1), dec[1])
                self.new(level, f, vf, dec)
        # 2) abolished 2017-2019
        for level, n in OLD_ABOLISHED.items():
            for f in self.pick_fields(level, n):
                dec = old_dec(level, f)
                r = self.new(level, f, self.rand_date(D(2012, 1, 1), dec[1] - dt.timedelta(days=200)),
                             ("", dec[1]))
                r["announce_decision_no"], r["valid_to"] = dec[0], dec[1] - dt.timedelta(days=1)
        # 3) the Jan-Apr 2020 window: 42 decisions, 254 procedures
        win: list[tuple[str, str, str]] = []          # (level, field, kind)
        for level, n in WIN_KEPT.items():
            win += [(level, f, "kept") for f in self.pick_fields(level, n)]
        for level, n in WIN_ABOLISHED.items():
            win += [(level, f, "abolished") for f in self.pick_fields(level, n)]
        win.sort(key=lambda t: (t[0], t[1], rng.random()))
        cuts = sorted(rng.sample(range(1, len(win)), WIN_DECISIONS - 1))
        chunks = [win[a:b] for a, b in zip([0] + cuts, cuts + [len(win)])]
        days = sorted(self.workday(D(2020, 1, 2), D(2020, 4, 29)) for _ in chunks)
        decs = [self.decision(d) for d in days]
        rng.shuffle(decs)
        kept_idx = [i for i, t in enumerate(win) if t[2] == "kept"]
        new_idx = set(rng.sample(kept_idx, WIN_NEW))
        private_idx = set(rng.sample(sorted(new_idx), 3))
        i = 0
        for chunk, dec in zip(chunks, decs):
            for level, f, kind in chunk:
                if kind == "kept" and i in new_idx:
                    r = self.new(level, f, dec[1], dec, public=i not in private_idx)
                elif kind == "kept":                                     # amended: earlier valid_from
                    r = self.new(level, f, self.rand_date(D(2015, 1, 1), D(2019, 10, 31)), dec)
                else:                                                    # abolished by this decision
                    r = self.new(level, f, self.rand_date(D(2014, 1, 1), D(2019, 6, 30)), dec)
                    r["valid_to"] = dec[1] - dt.timedelta(days=1)
                r["_window"] = True
                i += 1
        # 4) later history, 2020-05 .. 2026-09, and the 2025 district abolition
        later = []
        for y in range(2020, 2027):
            lo, hi = (D(2020, 5, 4), D(2020, 12, 28)) if y == 2020 else (D(y, 1, 2), D(y, 12, 28))
            if y == 2026:
                hi = LAST_START
            for _ in range(rng.randint(3, 5) if y in (2020, 2026) else rng.randint(4, 7)):
                later.append(self.decision(self.workday(lo, hi)))
        reform_decs = sorted(self.decision(self.workday(D(2025, 6, 16), D(2025, 6, 27))) for _ in range(6))
        done_reform = False
        for dec in sorted(later, key=lambda d: d[1]):
            if not done_reform and dec[1] >= D(2025, 6, 1):
                self.reform(reform_decs)
                done_reform = True
            self.later_decision(dec)
        if not done_reform:
            self.reform(reform_decs)
        # 5) levels
        self.assign_levels()
        return self.rows

    def later_decision(self, dec: tuple[str, D]) -> None:
        rng, day = self.rng, dec[1]
        levels = ["province", "commune"] + (["district"] if day < D(2025, 6, 1) else [])
        for level in levels:
            big = level == "province"
            n_add = rng.randint(3, 9) if big else rng.randint(0, 2)
            n_abol = rng.randint(2, 7) if big else rng.randint(0, 2)
            n_amend = rng.randint(2, 6) if big else rng.randint(0, 1)
            cands = [r for r in self.rows if r["level"] == level and not r["_window"]
                     and r["valid_to"] is None and r["valid_from"] < day]
            rng.shuffle(cands)
            # changes come in sectors: focus on two or three fields per decision
            fields = rng.sample(sorted(FIELDS[level]), min(3, len(FIELDS[level])))
            focus = [r for r in cands if r["field"] in fields] + [r for r in cands if r["field"] not in fields]
            for r in focus[:n_abol]:
                r["valid_to"], r["announce_decision_no"], r["announce_decision_date"] = \
                    day - dt.timedelta(days=1), dec[0], day
            for r in focus[n_abol:n_abol + n_amend]:
                r["announce_decision_no"], r["announce_decision_date"] = dec
            for _ in range(n_add):
                f = rng.choice(fields)
                self.new(level, f, day, dec)

    def reform(self, decs: list[tuple[str, D]]) -> None:
        """District level abolished 1/7/2025; 180 of its procedures move to the commune with new codes."""
        rng = self.rng
        dist = [r for r in self.rows if r["level"] == "district" and r["valid_to"] is None]
        by_field = {f: decs[i % len(decs)] for i, f in enumerate(sorted(FIELDS["district"]))}
        for r in dist:
            dec = by_field[r["field"]]
            r["valid_to"], r["announce_decision_no"], r["announce_decision_date"] = DISTRICT_END, dec[0], dec[1]
        prefer = {"Hộ tịch", "Chứng thực", "Đất đai", "Thành lập và hoạt động của hộ kinh doanh",
                  "Bảo trợ xã hội", "Xây dựng", "Giáo dục và Đào tạo", "Lưu thông hàng hóa trong nước"}
        movable = [r for r in dist if commune_name(r["name"]) not in self.used_names["commune"]]
        rng.shuffle(movable)
        movable.sort(key=lambda r: r["field"] not in prefer)
        assert len(movable) >= TRANSFERRED, len(movable)
        for r in movable[:TRANSFERRED]:
            field = r["field"]
            if field not in COMMUNE:
                COMMUNE[field] = DISTRICT[field]
            n = self.new("commune", field, COMMUNE_NEW, by_field[field], name=commune_name(r["name"]))
            n["_transferred"] = True
            for k in ("legal_days", "has_fee", "fee_amount", "requires_paper_result"):
                n[k] = r[k]

    def assign_levels(self) -> None:
        """legacy_level exactly 10 % level 4 / 25 % level 3 among the 1,960 in force on 2020-04-30;
        online_level 45 % full / 40 % partial among those in force at the end."""
        rng = self.rng
        ref = [r for r in self.rows if self.in_force(r, REF)]
        rng.shuffle(ref)
        n = len(ref)
        cuts = [round(n * 0.10), round(n * 0.35), round(n * 0.85)]
        for i, r in enumerate(ref):
            r["legacy_level"] = 4 if i < cuts[0] else 3 if i < cuts[1] else 2 if i < cuts[2] else 1
        for r in self.rows:
            if r["legacy_level"] is None and r["valid_from"] < LEGACY_END:
                r["legacy_level"] = rng.choices([4, 3, 2, 1], [12, 28, 48, 12])[0]
        end = [r for r in self.rows if r["valid_to"] is None]
        rest = [r for r in self.rows if r["valid_to"] is not None]
        n_full, n_partial = round(len(end) * 0.45), round(len(end) * 0.40)
        # level 4 first, then level 3, then the others in random order; mostly 4 -> full, 3 -> partial
        l4 = [r for r in end if r["legacy_level"] == 4]
        l3 = [r for r in end if r["legacy_level"] == 3]
        other = [r for r in end if r["legacy_level"] not in (3, 4)]
        rng.shuffle(other)
        for r in l4:
            r["online_level"] = "full"
        l3_full = [r for r in l3 if rng.random() < 0.08]
        for r in l3_full:
            r["online_level"] = "full"
        left_full = n_full - len(l4) - len(l3_full)
        l3_rest = [r for r in l3 if r["online_level"] is None]
        for r in l3_rest[:n_partial]:
            r["online_level"] = "partial"
        left_partial = n_partial - min(n_partial, len(l3_rest))
        for i, r in enumerate(other):
            r["online_level"] = "full" if i < left_full else "partial" if i < left_full + left_partial else "none"
        for r in rest:
            lv = r["legacy_level"]
            if r["valid_to"] < LEGACY_END:
                r["online_level"] = {4: "full", 3: "partial"}.get(lv, "none")
            else:
                r["online_level"] = {4: "full", 3: "partial"}.get(lv) or rng.choices(
                    ["full", "partial", "none"], [40, 35, 25])[0]


# ---------------------------------------------------------------------------------------------------
def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, D):
        return v.isoformat()
    return str(v)


def write(rows: list[dict]) -> None:
    rows = sorted(rows, key=lambda r: ({"province": 0, "district": 1, "commune": 2}[r["level"]], r["field"],
                                        r["valid_from"], r["procedure_code"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([fmt(r[c]) for c in COLUMNS])


def read() -> list[dict]:
    with OUT.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        for k in ("announce_decision_date", "valid_from", "valid_to"):
            r[k] = D.fromisoformat(r[k]) if r[k] else None
    return rows


def check() -> None:
    """Assert the calibration on the written CSV and print summary counts."""
    with OUT.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    rows = read()

    def live(r, day):
        return r["valid_from"] <= day and (r["valid_to"] is None or r["valid_to"] >= day)

    codes = [r["procedure_code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate procedure_code"
    assert all(re.fullmatch(r"\d\.\d{6}", c) for c in codes)
    names = collections.Counter((r["level"], r["name"]) for r in rows)
    assert max(names.values()) == 1, [k for k, v in names.items() if v > 1][:5]
    fields = {r["field"] for r in rows}
    assert 30 <= len(fields) <= 60, len(fields)
    for r in rows:
        assert r["level"] in ("province", "district", "commune")
        assert r["online_level"] in ("full", "partial", "none")
        assert r["legacy_level"] in ("", "1", "2", "3", "4")
        assert (r["legacy_level"] == "") == (r["valid_from"] >= LEGACY_END), r
        for k in ("has_fee", "requires_paper_result", "is_public_national"):
            assert r[k] in ("true", "false")
        fee = int(r["fee_amount"])
        assert fee % 1000 == 0 and (fee > 0) == (r["has_fee"] == "true")
        assert 1 <= int(r["legal_days"]) <= 60
        assert r["valid_from"] <= LAST_START
        assert r["valid_to"] is None or r["valid_to"] >= r["valid_from"], r
        assert re.fullmatch(r"\d+/QĐ-UBND", r["announce_decision_no"])
        if r["level"] == "district":
            assert r["valid_to"] is not None and r["valid_to"] <= DISTRICT_END
    decision_dates = collections.defaultdict(set)
    for r in rows:
        decision_dates[r["announce_decision_no"]].add(r["announce_decision_date"])
    assert max(len(v) for v in decision_dates.values()) == 1, "a decision number with two dates"

    # a) in force on 2020-04-30
    ref = [r for r in rows if live(r, REF)]
    by_level = collections.Counter(r["level"] for r in ref)
    assert len(ref) == 1960 and by_level == IN_FORCE_2020, by_level
    # b) the Jan-Apr 2020 window
    win = [r for r in rows if WIN_FROM <= r["announce_decision_date"] <= WIN_TO]
    win_decs = {(r["announce_decision_no"], r["announce_decision_date"]) for r in win}
    kept = [r for r in win if live(r, REF)]
    abolished = [r for r in win if not live(r, REF)]
    pub = sum(r["is_public_national"] == "true" for r in kept)
    assert len(win_decs) == 42 and len({d[0] for d in win_decs}) == 42
    assert len(win) == 254 and len(kept) == 102 and len(abolished) == 152
    assert pub == 99 and len(kept) - pub == 3
    assert all(r["valid_to"] == r["announce_decision_date"] - dt.timedelta(days=1) for r in abolished)
    assert all(r["valid_from"] <= r["announce_decision_date"] for r in kept)
    n_new = sum(r["valid_from"] == r["announce_decision_date"] for r in kept)
    # c) every other procedure in force then: public, announced 2017-2019 or changed after the window
    for r in ref:
        if r in kept:
            continue
        assert r["is_public_national"] == "true"
        d = r["announce_decision_date"]
        assert D(2017, 1, 1) <= d <= D(2019, 12, 31) or d > WIN_TO, r
    # the 2025 reform
    new_commune = [r for r in rows if r["level"] == "commune" and r["valid_from"] == COMMUNE_NEW]
    assert len(new_commune) == TRANSFERRED

    print(f"procedures.csv: {len(rows)} rows, {len(fields)} fields, "
          f"{len(decision_dates)} announcement decisions")
    print(f"a) in force 2020-04-30: {len(ref)} = " + ", ".join(f"{k} {by_level[k]}" for k in IN_FORCE_2020))
    print(f"b) 2020-01-01..2020-04-30: {len(win_decs)} decisions, {len(win)} procedures; "
          f"{len(kept)} new/amended in force ({n_new} new, {len(kept) - n_new} amended; "
          f"{pub} public, {len(kept) - pub} not public), {len(abolished)} abolished")
    print("c) all other procedures in force on 2020-04-30 are public, announced 2017-2019 or changed later")
    for day in (REF, D(2023, 12, 31), D(2025, 6, 30), D(2025, 7, 1), D(2026, 9, 30)):
        c = collections.Counter(r["level"] for r in rows if live(r, day))
        print(f"in force {day}: {sum(c.values()):5d} = province {c['province']}, district {c['district']}, "
              f"commune {c['commune']}")
    for y in range(2020, 2027):
        decs = {r["announce_decision_no"] for r in rows if r["announce_decision_date"].year == y}
        add = sum(r["valid_from"].year == y and r["announce_decision_date"] == r["valid_from"] for r in rows)
        end = sum(r["valid_to"] is not None and r["valid_to"].year == y for r in rows)
        print(f"  {y}: decisions (latest) {len(decs):3d}, new from the decision date {add:4d}, ended {end:4d}")
    top = collections.Counter(r["field"] for r in ref).most_common(10)
    print("top fields in force 2020-04-30: " + "; ".join(f"{f} {n}" for f, n in top))
    leg = collections.Counter(r["legacy_level"] for r in ref)
    print("legacy_level in force 2020-04-30: " + ", ".join(
        f"level {k} {leg[k]} ({leg[k] / len(ref):.0%})" for k in "4321"))
    end = [r for r in rows if r["valid_to"] is None]
    ol = collections.Counter(r["online_level"] for r in end)
    print(f"online_level in force at the end ({len(end)}): " + ", ".join(
        f"{k} {ol[k]} ({ol[k] / len(end):.1%})" for k in ("full", "partial", "none")))
    x = collections.Counter((r["legacy_level"], r["online_level"]) for r in end if r["legacy_level"] in "34")
    print("  legacy 4 -> " + str({k[1]: v for k, v in x.items() if k[0] == "4"})
          + "; legacy 3 -> " + str({k[1]: v for k, v in x.items() if k[0] == "3"}))
    fee = sum(r["has_fee"] == "true" for r in rows) / len(rows)
    paper = sum(r["requires_paper_result"] == "true" for r in rows) / len(rows)
    print(f"has_fee {fee:.0%}, requires_paper_result {paper:.0%}")


if __name__ == "__main__":
    write(Builder().build())
    check()
