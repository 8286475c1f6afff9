"""`developer_take_units`: one unit of each subject's counter, all or none.

The counters' upsert adds to every subject below its cap; when one subject is at its cap the
call is refused, and the units the statement added to the other subjects must be undone. The
function does the upsert in a block that an exception rolls back, so the caller can commit in
the same round trip as the statement (pipelined) without looking at the answer first. It
returns the subjects that were added to and their new counts, as the plain upsert did (a
refused call: fewer rows than subjects, and nothing kept).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION developer_take_units(
    p_subjects varchar[], p_caps integer[], p_period varchar, p_window timestamptz
) RETURNS TABLE (taken_subject varchar, taken_used integer)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    got_subjects varchar[];
    got_used integer[];
BEGIN
    BEGIN
        WITH bumped AS (
            INSERT INTO developer_usagecounter AS c (subject, period, window_start, used, cap)
            SELECT u.s, p_period, p_window, 1, u.cap FROM unnest(p_subjects, p_caps) AS u(s, cap)
            ON CONFLICT (subject, period) DO UPDATE SET
                used = CASE WHEN EXCLUDED.window_start > c.window_start THEN 1
                            ELSE c.used + 1 END,
                window_start = GREATEST(c.window_start, EXCLUDED.window_start),
                cap = EXCLUDED.cap
            WHERE EXCLUDED.window_start > c.window_start OR c.used < EXCLUDED.cap
            RETURNING c.subject, c.used
        )
        SELECT array_agg(b.subject), array_agg(b.used) INTO got_subjects, got_used FROM bumped b;
        IF coalesce(cardinality(got_subjects), 0) < cardinality(p_subjects) THEN
            RAISE EXCEPTION 'developer_take_units: a subject is at its cap';
        END IF;
    EXCEPTION WHEN raise_exception THEN
        NULL;  -- the block's units are rolled back; the variables keep what was read
    END;
    RETURN QUERY SELECT * FROM unnest(got_subjects, got_used);
END
$fn$;
"""

BACKWARD = (
    "DROP FUNCTION IF EXISTS developer_take_units(varchar[], integer[], varchar, timestamptz);"
)


class Migration(migrations.Migration):
    dependencies = [("developer", "0002_api_plans")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
