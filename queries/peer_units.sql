-- name: peer_units
-- The units of one level in operation on a day (valid_to inclusive): an appraisal round's peer group.
-- params: $level, $day
select unit_code from units
where level = $level and valid_from <= $day and (valid_to is null or valid_to >= $day)
order by unit_code;
