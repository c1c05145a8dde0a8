-- The full build of the summaries (the macros are in summaries.sql): every generation and every import
-- that does not add by difference runs it (reform/db.py finish), over dossier_facts_v (facts.sql). The
-- national roll-up runs the same statements on Apache Spark, the macros inlined and transpiled
-- (reform/national/sparksql.py): keep to SQL both engines know, or to what that file rewrites.
create or replace temp table dossier_facts as select * exclude (received_at) from dossier_facts_v;

create or replace table kpi_month as
from kpi_month_of('dossier_facts') order by month, unit_code, procedure_code, channel;

create or replace table stock_month as
from stock_month_of('dossier_facts', (select date_trunc('month', min(rd)) from dossier_facts),
                    (select date_trunc('month', max(rd)) from dossier_facts))
order by month, unit_code, procedure_code, channel;

create or replace table kpi_month_unit as
from kpi_month_unit_of('kpi_month') order by month, unit_code, channel;

create or replace table stock_month_unit as
from stock_month_unit_of('stock_month') order by month, unit_code, channel;

create or replace table data_info as from data_info_now();

create or replace table open_now as
from open_now_of('dossier_facts', (select last_day(last_month) from data_info))
order by od, dossier_code;

drop table dossier_facts;
