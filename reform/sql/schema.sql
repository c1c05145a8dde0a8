-- The data contract (DESIGN §4). Every import and the generator build a new database file from this
-- schema, fill it, rebuild the summaries (summaries.sql) and swap it in atomically.
-- dossiers has no declared PRIMARY KEY: the importer enforces the key (dossier_code) by upsert, and
-- the table is rewritten sorted by received_at, which an ART index would only slow down.

create table units (
    unit_code      varchar primary key,
    name           varchar not null,
    level          varchar not null,      -- province | district | commune | unassigned
    kind           varchar,               -- department, branch, district_committee, commune_committee, vertical_agency
    parent_code    varchar,
    area_code      varchar,
    valid_from     date,
    valid_to       date,                  -- last day valid (inclusive); null = still valid
    successor_code varchar,
    former_province varchar               -- before 1/7/2025 in another province (old Bạc Liêu: 95); null = this one
);

create table procedures (
    procedure_code         varchar primary key,
    name                   varchar not null,
    field                  varchar,
    level                  varchar not null,   -- province | district | commune
    online_level           varchar,            -- full | partial | none (Decree 42/2022)
    legacy_level           tinyint,            -- 1-4, before 24/6/2022
    legal_days             double,
    has_fee                boolean default false,
    fee_amount             double,
    requires_paper_result  boolean default true,
    is_public_national     boolean default true,
    announce_decision_no   varchar,            -- the latest decision about the procedure
    announce_decision_date date,
    valid_from             date,
    valid_to               date                -- last day in force (inclusive); null = in force
);

create table dossiers (
    dossier_code    varchar not null,
    procedure_code  varchar,
    unit_code       varchar,
    channel         tinyint,                   -- 1 direct (null = direct), 2 online, 3 postal
    received_at     timestamp not null,
    due_at          timestamp,
    finished_at     timestamp,                 -- end of processing, whatever the outcome
    returned_at     timestamp,
    return_channel  varchar,                   -- counter | postal | online
    status_code     tinyint not null,          -- 1-10, see status_codes
    supplement_days double default 0,
    apology_issued  boolean,
    paid_online     boolean,
    is_digitized    boolean,
    has_e_result    boolean,
    rating          tinyint                    -- 1 very satisfied, 2 satisfied, 3 not satisfied
);

create table indicators (
    indicator_code varchar not null,
    unit_code      varchar,
    period         varchar not null,           -- 2020-04, 2020Q1 or 2020
    value          double,
    source         varchar,
    as_of          date
);

-- old unit -> new unit from the 2025 restructuring (Resolution 1655; DESIGN §6.6 area_mapping), one row per
-- (old, new) pair; the rules (weights of an old unit sum to 1, no cycles, ...) are in docs/restructuring.md
-- and reform/restructure.py. District committees are mapped here too (docs/restructuring.md).
create table unit_mapping (
    old_code       varchar not null,
    new_code       varchar not null,
    effective_date date not null,
    share_kind     varchar not null,      -- whole | part (the old unit was split)
    weight         double not null,       -- share of the old unit's dossiers given to new_code, in (0, 1]
    primary key (old_code, new_code)
);

-- which application the file belongs to, written on every build (reform/db.py: APP_ID, SCHEMA_VERSION):
-- a file without it, or naming another app, is not written (a file from before it counts as ours if it
-- has our tables). sample: built by `python -m reform generate` (the synthetic sample), kept by imports.
-- rules: the digest of the rules its summaries were built by (reform.refresh.rules): an import of dossiers
-- adds to the summaries only of a file built by the same rules, else it builds them whole.
create table reform_meta (app varchar not null, version integer not null, sample boolean not null,
                          rules varchar);

-- lookups ---------------------------------------------------------------------------------------
create table status_codes (code tinyint primary key, name_vi varchar, name_en varchar, grp varchar);
insert into status_codes values
    (1,  'Mới đăng ký',                    'New',                    'new'),
    (2,  'Được tiếp nhận',                 'Received',               'processing'),
    (3,  'Không được tiếp nhận',           'Refused',                'refused'),
    (4,  'Đang xử lý',                     'Processing',             'processing'),
    (5,  'Yêu cầu bổ sung giấy tờ',        'Supplement requested',   'paused'),
    (6,  'Yêu cầu thực hiện nghĩa vụ tài chính', 'Awaiting payment of fees', 'paused'),
    (7,  'Công dân yêu cầu rút hồ sơ',     'Withdrawn',              'withdrawn'),
    (8,  'Dừng xử lý',                     'Stopped',                'paused'),
    (9,  'Đã xử lý xong',                  'Finished',               'finished'),
    (10, 'Đã trả kết quả',                 'Result returned',        'finished');

-- levels and channels: rows written by reform/db.py (write_facts) from reform/lookups.py, where the Python
-- code reads them too (their names are interface text: present/text.toml)
create table channels (code tinyint primary key);

create table return_channels (code varchar primary key, name_vi varchar, name_en varchar);
insert into return_channels values
    ('counter', 'Tại Bộ phận Một cửa', 'At the one-stop desk'),
    ('postal',  'Bưu chính công ích',  'Public postal service'),
    ('online',  'Trực tuyến',          'Online');

create table levels (code varchar primary key, sort tinyint);

-- weekday public holidays (weekends are never working days); loaded from sample_data/holidays.csv
create table holidays (day date primary key, name_vi varchar);

-- imported_by: the signed-in account of a dashboard upload, else the account given or the OS user;
-- of the rows that were stored already, rows_updated differed and were replaced, rows_unchanged did not;
-- sha256: the file's content (the watched folder imports a content only once: reform/watch.py)
create table import_log (imported_at timestamp, kind varchar, file varchar, rows_in bigint, rows_new bigint,
                         imported_by varchar, rows_updated bigint, rows_unchanged bigint, sha256 varchar);
