-- The national roll-up's reference data (docs/national.md): every province exports its own units,
-- procedures, holidays and unit mapping as Parquet under <name>/province=<code>/ (reform/national/layout.py),
-- read here as <name>_all. These statements make them one set, run the same way by DuckDB (the national
-- file's tables, reform/national/build.py) and, transpiled, by Spark (reform/national/sparksql.py).
create or replace temp view units as select * exclude (province) from units_all;

-- procedure codes are national (the national procedure database): a code that several provinces export
-- is read once, as the province with the lowest code has it
create or replace temp view procedures as
select * exclude (province, _n)
from (select *, row_number() over (partition by procedure_code order by province) as _n from procedures_all) p
where _n = 1;

create or replace temp view holidays as select day, min(name_vi) as name_vi from holidays_all group by day;

create or replace temp view unit_mapping as select * exclude (province) from unit_mapping_all;
