# 知识产权运营平台 — 简体中文界面文字。每个键在 en.ftl 中都有对应（测试检查）。
# 键名不能含 “.”：错误代码 auth.bad_credentials 的键是 error-auth-bad_credentials。

app-name = 知识产权运营平台
footer-text = 知识产权运营平台 · 仅供授权用户在内网使用

## 导航与页头
nav-label = 主导航
nav-rights = 权利登记簿
nav-parties = 主体
nav-imports = 数据导入
nav-api-docs = API 文档
nav-sign-out = 退出
lang-switch-label = 界面语言
lang-zh-CN = 中文
lang-en = English

## 登录
login-title = 登录
login-intro = 请使用平台分配的用户名和密码登录。
login-username = 用户名
login-password = 密码
login-submit = 登录
login-note = 如忘记密码，请联系本单位的平台管理员。

## 列表通用
filter-all = 全部
filter-q = 关键词
filter-apply = 查询
filter-reset = 重置
list-empty = 没有符合条件的记录。
list-separator = 、
pager-label = 分页
pager-total = 共 { $total } 条
pager-page = 第 { $page } / { $pages } 页
pager-prev = 上一页
pager-next = 下一页
record-updated-at = 更新时间

## 权利登记簿
rights-title = 权利登记簿
rights-intro = 您有权查看的专利、商标、软件著作权和集成电路布图设计。
rights-q-placeholder = 申请号 / 注册号前缀，或名称、权利人中的词语
rights-holder-filter = 仅显示主体 #{ $id } 持有的权利。
right-number = 申请号 / 注册号
right-kind = 类型
right-title = 名称
right-holders = 权利人
right-filing-date = 申请日
right-grant-date = 授权日
right-registration-date = 登记 / 注册日
right-legal-status = 法律状态
right-expiry-date = 保护期届满日
right-annual-fee-paid-until = 年费缴至
right-ipc-main = 主分类号（IPC）
right-nice-class = 尼斯分类
right-renewals = 续展次数
right-section-record = 登记信息
right-history = 法律状态变更记录
holders-more = 等 { $count } 位
holder-name = 名称
holder-share = 份额
history-effective-date = 生效日期
history-note = 说明
history-recorded-at = 记录时间
history-recorded-by = 记录人
history-empty = 暂无法律状态变更记录。

right-kind-invention = 发明专利
right-kind-utility_model = 实用新型
right-kind-design = 外观设计
right-kind-trademark = 注册商标
right-kind-software_copyright = 著作权（计算机软件）
right-kind-ic_layout = 集成电路布图设计

legal-status-not_yet_granted = 未授权
legal-status-in_force = 有效
legal-status-late_fee_period = 滞纳期
legal-status-lapsed_unpaid_fee = 未缴年费终止
legal-status-expired = 期限届满
legal-status-invalidated = 已宣告无效
legal-status-invalidation_pending = 无效宣告审查中
legal-status-preserved = 保全（冻结）
legal-status-ownership_dispute = 权属纠纷中止

## 主体
parties-title = 主体
parties-intro = 企业、金融机构、保险与担保机构、评估机构、服务机构、园区和知识产权局。
parties-q-placeholder = 名称中的词语，或统一社会信用代码前缀
party-name = 名称
party-kind = 主体类型
party-uscc = 统一社会信用代码
party-region = 行政区划
party-region-prefix = 行政区划代码
party-region-placeholder = 如 32 或 3201
party-industry = 国民经济行业分类
party-size-class = 企业规模
party-designations = 认定
party-park = 所属园区
party-view-park = 查看园区
party-parent = 上级机构
party-view-parent = 查看上级机构
party-park-kind = 园区类别
party-office-level = 知识产权局级别
party-credit-rating = 信用等级
party-specialised-sme-year = 专精特新认定年度
party-little-giant-year = “小巨人”认定年度
party-section-record = 基本信息
party-section-contact = 联系信息
party-contact-name = 联系人
party-contact-phone = 联系电话
party-address = 地址
party-find-rights = 查看该主体持有的权利
designation-specialised_sme = 专精特新 { $year }
designation-little_giant = “小巨人” { $year }

party-kind-enterprise = 企业
party-kind-lender = 金融机构
party-kind-insurer = 保险机构
party-kind-guarantor = 担保机构
party-kind-appraiser = 评估机构
party-kind-service_agency = 服务机构
party-kind-park = 园区
party-kind-ip_office = 知识产权局

size-class-large = 大型
size-class-medium = 中型
size-class-small = 小型
size-class-micro = 微型

park-kind-national_high_tech_zone = 国家高新区
park-kind-national_economic_zone = 国家级经济技术开发区
park-kind-provincial_zone = 省级园区
park-kind-other = 其他园区

office-level-national = 国家级
office-level-provincial = 省级
office-level-local = 市县级

## 角色
role-enterprise = 企业
role-lender = 金融机构
role-insurer = 保险 / 担保机构
role-appraiser = 评估机构
role-agency = 服务机构
role-park = 园区
role-examiner = 审查员
role-provincial_office = 省级知识产权局
role-national_office = 国家知识产权局
role-platform_admin = 平台管理员

## 数据导入
imports-title = 数据导入
imports-intro = 以 CSV（UTF-8）或 XLSX 文件批量登记权利和主体。同一文件重复导入不会产生重复记录。
import-upload-title = 上传文件
import-subject = 数据类型
import-subject-rights = 知识产权
import-subject-parties = 主体
import-file = 文件
import-submit = 导入
import-hint = 支持 .csv 和 .xlsx，单个文件不超过 { $mib } MiB；更大的文件请使用命令行导入。首行为表头。
import-not-allowed = 只有知识产权局和平台管理员可以导入数据和查看导入记录。
import-session-only = 请在浏览器中登录后上传文件。
import-runs-title = 最近的导入记录
import-runs-empty = 暂无导入记录。
import-status = 状态
import-status-running = 进行中
import-status-finished = 已完成
import-status-failed = 失败
import-total-rows = 数据行
import-inserted = 新增
import-updated = 更新
import-unchanged = 未变化
import-rejected = 拒收
import-created-by = 导入人
import-created-at = 开始时间
import-finished-at = 完成时间
import-report-title = 导入结果：{ $file }
import-rejections = 拒收明细
import-row = 行号
import-column = 列
import-message = 说明
import-more-findings = 另有 { $count } 条问题未显示；完整明细请使用命令行或 API 获取。
import-run-title = 导入记录 #{ $id }
import-run-by = 由 { $user } 于 { $started } 开始
import-no-rejections = 没有拒收的行。
error-import-not_found = 找不到该导入记录。

## 错误
error-code-label = 错误代码：
error-field = 字段
error-rule = 规则
error-back-home = 返回权利登记簿
error-sign-in = 前往登录
error-generic = 操作未能完成。
error-status-400 = 请求有误，无法处理。
error-status-401 = 请先登录。
error-status-403 = 您无权执行此操作。
error-status-404 = 找不到您要访问的页面或记录。
error-status-409 = 与现有记录冲突。
error-status-413 = 上传的内容过大。
error-status-500 = 系统内部错误，请稍后重试。如持续出现，请联系平台管理员。
error-status-503 = 服务暂时不可用，请稍后重试。
error-validation_failed = 提交的内容有误，请检查下列字段。
error-bad_request = 请求有误，无法处理。
error-forbidden = 您无权执行此操作。
error-not_found = 找不到您要访问的页面或记录。
error-route_not_found = 找不到您要访问的页面。
error-unauthenticated = 请先登录。
error-auth-bad_credentials = 用户名或密码错误。
error-csrf_failed = 表单已过期，请刷新页面后重试。
error-conflict = 与现有记录冲突。
error-internal = 系统内部错误，请稍后重试。如持续出现，请联系平台管理员。
error-unavailable = 服务暂时不可用，请稍后重试。
error-payload_too_large = 提交的内容过大。
error-right-not_found = 找不到该权利，或您无权查看。
error-right-number_taken = 该编号的权利已登记。
error-party-not_found = 找不到该主体。
error-party-duplicate = 该主体已登记。
error-user-not_found = 找不到该用户。
error-user-username_taken = 该用户名已被使用。
error-import-failed = 导入未能完成，请检查文件。
error-import-forbidden = 只有知识产权局和平台管理员可以导入数据。
error-import-no_file = 请选择要导入的文件。
error-import-bad_upload = 无法读取上传的文件，请重试。
error-import-too_large = 文件过大：网页上传不超过 256 MiB，更大的文件请使用命令行导入。
error-import-unsupported_format = 文件格式不受支持：请上传 .csv（UTF-8）或 .xlsx 文件。
error-import-unknown_subject = 请选择数据类型：知识产权或主体。
error-import-unreadable = 无法读取该文件。
error-import-no_header = 文件没有表头行。
error-import-missing_column = 文件缺少必需的列。
error-import-unknown_column = 文件含有无法识别的列。
error-import-duplicate_column = 文件中有重复的列。
error-import-cancelled = 导入已取消。
