"""Database-level guarantees that the application cannot bypass (queryset `update`, raw SQL,
the admin): append-only tables refuse UPDATE and DELETE; a finalised statement, its lines
and a published disclosure never change; a price version's money fields never change and a
billed one is never deleted; every journal balances at commit."""

from django.db import migrations

APPEND_ONLY = [
    "commerce_commerceevent",
    "commerce_ceiling",
    "commerce_consumerverification",
    "commerce_orderusage",
    "commerce_invoice",
    "commerce_creditnote",
    "commerce_payment",
    "commerce_journal",
    "commerce_ledgerline",
]

FORWARD = """
CREATE FUNCTION commerce_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION commerce_statement_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'finalised' THEN
    RAISE EXCEPTION 'a finalised statement never changes' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER commerce_statement_guard BEFORE UPDATE OR DELETE ON commerce_statement
  FOR EACH ROW EXECUTE FUNCTION commerce_statement_guard();

CREATE FUNCTION commerce_statement_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN parent := NEW.statement_id; ELSE parent := OLD.statement_id; END IF;
  IF EXISTS (SELECT 1 FROM commerce_statement WHERE id = parent AND status = 'finalised') THEN
    RAISE EXCEPTION 'the lines of a finalised statement never change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER commerce_statement_line_guard BEFORE INSERT OR UPDATE OR DELETE
  ON commerce_statementline FOR EACH ROW EXECUTE FUNCTION commerce_statement_line_guard();

CREATE FUNCTION commerce_price_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.first_billed_at IS NOT NULL THEN
      RAISE EXCEPTION 'a billed price version is never deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.unit, NEW.shape, NEW.unit_price, NEW.tiers, NEW.period_fee, NEW.included_quantity,
      NEW.product_id, NEW.number)
     IS DISTINCT FROM
     (OLD.unit, OLD.shape, OLD.unit_price, OLD.tiers, OLD.period_fee, OLD.included_quantity,
      OLD.product_id, OLD.number) THEN
    RAISE EXCEPTION 'a price version never changes; publish a new one' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER commerce_price_guard BEFORE UPDATE OR DELETE ON commerce_priceversion
  FOR EACH ROW EXECUTE FUNCTION commerce_price_guard();

CREATE FUNCTION commerce_disclosure_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'a published disclosure never changes' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER commerce_disclosure_guard BEFORE UPDATE OR DELETE ON commerce_annualdisclosure
  FOR EACH ROW EXECUTE FUNCTION commerce_disclosure_guard();

CREATE FUNCTION commerce_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d numeric; c numeric;
BEGIN
  SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO d, c
    FROM commerce_ledgerline WHERE journal_id = NEW.journal_id;
  IF d <> c THEN
    RAISE EXCEPTION 'journal % does not balance: debits %, credits %', NEW.journal_id, d, c
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER commerce_journal_balanced AFTER INSERT ON commerce_ledgerline
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commerce_journal_balanced();
""" + "".join(
    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION commerce_refuse_change();\n"
    for t in APPEND_ONLY
)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\n" for t in APPEND_ONLY) + """
DROP TRIGGER IF EXISTS commerce_journal_balanced ON commerce_ledgerline;
DROP TRIGGER IF EXISTS commerce_disclosure_guard ON commerce_annualdisclosure;
DROP TRIGGER IF EXISTS commerce_price_guard ON commerce_priceversion;
DROP TRIGGER IF EXISTS commerce_statement_line_guard ON commerce_statementline;
DROP TRIGGER IF EXISTS commerce_statement_guard ON commerce_statement;
DROP FUNCTION IF EXISTS commerce_journal_balanced();
DROP FUNCTION IF EXISTS commerce_disclosure_guard();
DROP FUNCTION IF EXISTS commerce_price_guard();
DROP FUNCTION IF EXISTS commerce_statement_line_guard();
DROP FUNCTION IF EXISTS commerce_statement_guard();
DROP FUNCTION IF EXISTS commerce_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
