# ipyun — English UI text. Every key has a counterpart in zh-CN.ftl (a test checks).
# Keys cannot contain ".": the error code auth.bad_credentials has the key error-auth-bad_credentials.

app-name = IP Operations Platform
footer-text = ipyun IP Operations Platform · for authorised users on the intranet only

## Navigation and header
nav-label = Main navigation
nav-rights = Rights register
nav-parties = Parties
nav-imports = Imports
nav-api-docs = API docs
nav-sign-out = Sign out
lang-switch-label = Interface language
lang-zh-CN = 中文
lang-en = English

## Sign-in
login-title = Sign in
login-intro = Sign in with the user name and password the platform gave you.
login-username = User name
login-password = Password
login-submit = Sign in
login-note = Forgot your password? Ask your organisation's platform administrator.

## Lists
filter-all = All
filter-q = Search
filter-apply = Search
filter-reset = Reset
list-empty = No records match.
list-separator = ;{" "}
pager-label = Pages
pager-total = { $total ->
    [one] 1 record
   *[other] { $total } records
}
pager-page = Page { $page } of { $pages }
pager-prev = Previous
pager-next = Next
record-updated-at = Updated

## Rights register
rights-title = Rights register
rights-intro = The patents, trademarks, software copyrights and IC layout designs you may see.
rights-q-placeholder = Number prefix, or words of the title or a holder's name
rights-holder-filter = Only rights held by party #{ $id }.
right-number = Number
right-kind = Kind
right-title = Title
right-holders = Holders
right-filing-date = Filing date
right-grant-date = Grant date
right-registration-date = Registration date
right-legal-status = Legal status
right-expiry-date = Expiry date
right-annual-fee-paid-until = Annual fee paid until
right-ipc-main = Main IPC symbol
right-nice-class = Nice class
right-renewals = Renewals
right-section-record = Record
right-history = Legal-status history
holders-more = and { $count } more
holder-name = Name
holder-share = Share
history-effective-date = Effective date
history-note = Note
history-recorded-at = Recorded at
history-recorded-by = Recorded by
history-empty = No legal-status events recorded.

right-kind-invention = Invention patent
right-kind-utility_model = Utility model
right-kind-design = Design patent
right-kind-trademark = Trademark
right-kind-software_copyright = Software copyright
right-kind-ic_layout = IC layout design

legal-status-not_yet_granted = Not yet granted
legal-status-in_force = In force
legal-status-late_fee_period = Late-fee period
legal-status-lapsed_unpaid_fee = Lapsed (unpaid fee)
legal-status-expired = Expired
legal-status-invalidated = Invalidated
legal-status-invalidation_pending = Invalidation pending
legal-status-preserved = Preserved (frozen)
legal-status-ownership_dispute = Ownership dispute

## Parties
parties-title = Parties
parties-intro = Enterprises, lenders, insurers and guarantors, appraisers, service agencies, parks and IP offices.
parties-q-placeholder = Words of the name, or a USCC prefix
party-name = Name
party-kind = Kind
party-uscc = USCC
party-region = Region
party-region-prefix = Region code
party-region-placeholder = e.g. 32 or 3201
party-industry = Industry (GB/T 4754)
party-size-class = Size class
party-designations = Designations
party-park = Park
party-view-park = View park
party-parent = Head institution
party-view-parent = View head institution
party-park-kind = Park kind
party-office-level = Office level
party-credit-rating = Credit rating
party-specialised-sme-year = Specialised SME since
party-little-giant-year = Little giant since
party-section-record = Record
party-section-contact = Contact
party-contact-name = Contact person
party-contact-phone = Phone
party-address = Address
party-find-rights = Rights held by this party
designation-specialised_sme = Specialised SME { $year }
designation-little_giant = Little giant { $year }

party-kind-enterprise = Enterprise
party-kind-lender = Lender
party-kind-insurer = Insurer
party-kind-guarantor = Guarantor
party-kind-appraiser = Appraiser
party-kind-service_agency = Service agency
party-kind-park = Park
party-kind-ip_office = IP office

size-class-large = Large
size-class-medium = Medium
size-class-small = Small
size-class-micro = Micro

park-kind-national_high_tech_zone = National high-tech zone
park-kind-national_economic_zone = National economic zone
park-kind-provincial_zone = Provincial zone
park-kind-other = Other park

office-level-national = National
office-level-provincial = Provincial
office-level-local = Local

## Roles
role-enterprise = Enterprise
role-lender = Lender
role-insurer = Insurer / guarantor
role-appraiser = Appraiser
role-agency = Service agency
role-park = Park
role-examiner = Examiner
role-provincial_office = Provincial IP office
role-national_office = National IP office
role-platform_admin = Platform administrator

## Imports
imports-title = Imports
imports-intro = Record rights and parties in bulk from CSV (UTF-8) or XLSX files. Importing the same file again creates no duplicates.
import-upload-title = Upload a file
import-subject = Data
import-subject-rights = IP rights
import-subject-parties = Parties
import-file = File
import-submit = Import
import-hint = .csv or .xlsx, at most { $mib } MiB; import larger files from the command line. The first row is the header.
import-not-allowed = Only IP offices and platform administrators import data and see the import runs.
import-session-only = Sign in with a browser to upload files.
import-runs-title = Latest import runs
import-runs-empty = No imports yet.
import-status = Status
import-status-running = Running
import-status-finished = Finished
import-status-failed = Failed
import-total-rows = Rows
import-inserted = Inserted
import-updated = Updated
import-unchanged = Unchanged
import-rejected = Rejected
import-created-by = By
import-created-at = Started
import-finished-at = Finished
import-report-title = Import report: { $file }
import-rejections = Rejected rows
import-row = Row
import-column = Column
import-message = Message
import-more-findings = { $count } more findings are not shown; get the full report from the command line or the API.
import-run-title = Import run #{ $id }
import-run-by = started by { $user } at { $started }
import-no-rejections = No rows were rejected.
error-import-not_found = No such import run.

## Errors
error-code-label = Error code:
error-field = Field
error-rule = Rule
error-back-home = Back to the rights register
error-sign-in = Sign in
error-generic = The request could not be completed.
error-status-400 = The request is not valid.
error-status-401 = Please sign in.
error-status-403 = You may not do this.
error-status-404 = The page or record was not found.
error-status-409 = This conflicts with an existing record.
error-status-413 = The upload is too large.
error-status-500 = An internal error occurred; try again later. If it persists, tell your platform administrator.
error-status-503 = The service is unavailable for a moment; try again shortly.
error-validation_failed = Some fields are not valid; see below.
error-bad_request = The request is not valid.
error-forbidden = You may not do this.
error-not_found = The page or record was not found.
error-route_not_found = The page was not found.
error-unauthenticated = Please sign in.
error-auth-bad_credentials = Wrong user name or password.
error-csrf_failed = The form has expired; reload the page and try again.
error-conflict = This conflicts with an existing record.
error-internal = An internal error occurred; try again later. If it persists, tell your platform administrator.
error-unavailable = The service is unavailable for a moment; try again shortly.
error-payload_too_large = The request is too large.
error-right-not_found = No such right, or you may not see it.
error-right-number_taken = A right with this number is already recorded.
error-party-not_found = No such party.
error-party-duplicate = This party is already recorded.
error-user-not_found = No such user.
error-user-username_taken = This user name is taken.
error-import-failed = The import could not be completed; check the file.
error-import-forbidden = Only IP offices and platform administrators import data.
error-import-no_file = Choose a file to import.
error-import-bad_upload = The upload could not be read; try again.
error-import-too_large = The file is too large: uploads take at most 256 MiB; import larger files from the command line.
error-import-unsupported_format = Unsupported format: upload a .csv (UTF-8) or .xlsx file.
error-import-unknown_subject = Choose what the file holds: IP rights or parties.
error-import-unreadable = The file cannot be read.
error-import-no_header = The file has no header row.
error-import-missing_column = The file lacks a required column.
error-import-unknown_column = The file has a column that is not recognised.
error-import-duplicate_column = The file has a column twice.
error-import-cancelled = The import was cancelled.
