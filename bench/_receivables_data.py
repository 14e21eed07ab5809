"""Receivables of 20,000 customers over 4 years, for the aging benchmark (a helper).

``ensure_receivables(env)`` makes, once, in the company's currency:

* 20,000 customers "Bench Customer 00001".."Bench Customer 20000" (ORM), with
  5 salespeople and 6 tags; their activity is skewed (customer n gets about
  1/sqrt(n) of the invoices), so "Bench Customer 00001" is the biggest;
* about 550,000 posted invoices, 50,000 credit notes and 400,000 customer
  payments in the journals "Bench Sales" (BSAL) and "Bench Bank" (BBNK),
  dated over the last 4 years, with their reconciliations: most invoices
  paid by one payment (every second customer pays two invoices at once),
  some in two payments, some credited in full or in part, some paid in part
  and left open, a few disputed; unapplied payments and credit notes. What
  would be paid or credited after today is left open.

The ORM would need hours for this, so the journal entries are inserted
set-based in SQL (``INSERT ... SELECT`` from staging tables built with
``generate_series`` and ``random()`` after ``setseed``): ``account_move``,
``account_move_line`` (one receivable line and one product or bank line per
entry, about 2,000,000 lines), ``account_payment``, ``account_partial_reconcile``
and ``account_full_reconcile``, with what Odoo stores on them kept consistent
(residuals, ``reconciled``, ``matching_number``, ``payment_state``,
``max_date`` = the later date of the two items, ``min_date`` of
``crm_parties`` the earlier one, its ``debit_partner_id`` the debit item's
partner). For the load, the indexes and foreign keys
of those tables are dropped, then rebuilt and checked
(``_bulk_load``): 3.5 minutes instead of 11.5 on 2 cores. It checks that
every entry balances and every residual matches its reconciliations, commits
the whole in one transaction, then runs ``VACUUM ANALYZE`` on the tables.

The data are detected by the journal "Bench Sales": a second call does
nothing. Usage: ``from _receivables_data import ensure_receivables``.
"""

import time
from contextlib import contextmanager

from odoo import fields

PARTNERS = 20_000
INVOICES = 550_000
UNAPPLIED_PAYMENTS = 3_000
UNAPPLIED_CREDIT_NOTES = 1_000
PRODUCTS = 30
YEARS = 4
SALES_CODE, BANK_CODE = "BSAL", "BBNK"
PARTNER_NAME = "Bench Customer %05d"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
LOADED_TABLES = [
    "account_move",
    "account_move_line",
    "account_payment",
    "account_partial_reconcile",
    "account_full_reconcile",
]
TABLES = [*LOADED_TABLES, "res_partner"]
# Staging document ids: the invoice number n, plus an offset per kind.
CREDIT_NOTE, PAYMENT, SECOND_PAYMENT = 1_000_000, 2_000_000, 3_000_000
UNAPPLIED_PAYMENT, UNAPPLIED_CREDIT_NOTE = 4_000_000, 5_000_000


def ensure_receivables(env, log=print):
    """Make the data if missing; return a dict describing it.

    Keys: ``partner_ids`` (customer n at index n - 1), ``company``,
    ``receivable_account``, ``sales_journal``, ``bank_journal``.
    """
    env = env(context=QUIET)
    company = env.company
    start = time.perf_counter()
    partner_ids = _ensure_partners(env, log)
    sales, bank = _ensure_journals(env, company)
    receivable = (
        env["res.partner"].browse(partner_ids[0]).property_account_receivable_id
    )
    info = {
        "partner_ids": partner_ids,
        "company": company,
        "receivable_account": receivable,
        "sales_journal": sales,
        "bank_journal": bank,
    }
    if env["account.move"].search_count([("journal_id", "=", sales.id)], limit=1):
        return info
    products = _ensure_products(env)
    env.cr.commit()
    log(f"  customers, journals and products ready in {_since(start)}")
    _insert_entries(env, info, products, log)
    env.cr.commit()
    log(f"  committed; VACUUM ANALYZE of {', '.join(TABLES)}")
    _vacuum_analyze(env)
    log(f"  receivables ready in {_since(start)}")
    return info


def _since(start):
    return f"{time.perf_counter() - start:.0f} s"


# ----------------------------------------------------------------------
# Master data (ORM)
# ----------------------------------------------------------------------


def _ensure_partners(env, log):
    """The customers by number; creates the missing ones (ORM, by 1,000)."""
    Partner = env["res.partner"]
    names = [PARTNER_NAME % n for n in range(1, PARTNERS + 1)]
    existing = dict(
        env.execute_query(
            env["res.partner"]
            ._search([("name", "in", names), ("is_company", "=", True)])
            .select("name", "id")
        )
    )
    missing = [name for name in names if name not in existing]
    if missing:
        users = _ensure_salespeople(env)
        tags = _ensure_tags(env)
        log(f"  creating {len(missing)} customers")
        for start in range(0, len(missing), 1000):
            values = []
            for name in missing[start : start + 1000]:
                number = int(name.rsplit(" ", 1)[1])
                user = users[number % 6 - 1] if number % 6 else None
                tag = tags[number % 7 - 1] if number % 7 else None
                values.append(
                    {
                        "name": name,
                        "is_company": True,
                        "customer_rank": 1,
                        "ref": f"BENCH-AGING-{number:05d}",
                        "user_id": user.id if user else False,
                        "category_id": [(6, 0, tag.ids if tag else [])],
                    }
                )
            for partner in Partner.create(values):
                existing[partner.name] = partner.id
    return [existing[name] for name in names]


def _ensure_salespeople(env):
    Users = env["res.users"].with_context(active_test=False, no_reset_password=True)
    group = env.ref("sales_team.group_sale_salesman")
    users = []
    for i in range(1, 6):
        login = f"bench_aging_sales_{i}"
        user = Users.search([("login", "=", login)])
        users.append(
            user
            or Users.create(
                {
                    "name": f"Bench Salesperson {i}",
                    "login": login,
                    "groups_id": [(6, 0, [group.id])],
                }
            )
        )
    return users


def _ensure_tags(env):
    Tag = env["res.partner.category"]
    tags = []
    for letter in "ABCDEF":
        name = f"Bench Segment {letter}"
        tags.append(
            Tag.search([("name", "=", name)], limit=1) or Tag.create({"name": name})
        )
    return tags


def _ensure_products(env):
    Product = env["product.product"]
    products = Product.search([("default_code", "=like", "BENCH-AGING-%")])
    for i in range(len(products) + 1, PRODUCTS + 1):
        products |= Product.create(
            {
                "name": f"Bench Service {i:02d}",
                "default_code": f"BENCH-AGING-{i:02d}",
                "type": "service",
                "list_price": 10.0 * i,
            }
        )
    return products


def _ensure_journals(env, company):
    Journal = env["account.journal"]
    sales = Journal.search([("code", "=", SALES_CODE), ("company_id", "=", company.id)])
    if not sales:
        income = Journal.search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        ).default_account_id
        sales = Journal.create(
            {
                "name": "Bench Sales",
                "code": SALES_CODE,
                "type": "sale",
                "company_id": company.id,
                "default_account_id": income.id,
            }
        )
    bank = Journal.search([("code", "=", BANK_CODE), ("company_id", "=", company.id)])
    if not bank:
        bank = Journal.create(
            {"name": "Bench Bank", "code": BANK_CODE, "type": "bank",
             "company_id": company.id}
        )  # fmt: skip
        # Payments straight to the bank account (no statements to match).
        bank.inbound_payment_method_line_ids.payment_account_id = (
            bank.default_account_id
        )
    return sales, bank


# ----------------------------------------------------------------------
# Journal entries (SQL)
# ----------------------------------------------------------------------

# One row per invoice, with every random draw its fate needs.
STAGE_INVOICES = """
CREATE TEMP TABLE bench_inv ON COMMIT DROP AS
WITH draw AS (
    SELECT n, random() AS r_partner, random() AS r_date, random() AS r_term,
           random() AS r_qty, random() AS r_unit, random() AS r_product,
           random() AS r_fate, random() AS r_lag, random() AS r_split,
           random() AS r_cn
      FROM generate_series(1, %(invoices)s) AS n
), base AS (
    SELECT n, 1 + floor(%(partner_count)s * r_partner * r_partner)::int AS pidx,
           %(today)s::date - floor(r_date * %(days)s)::int AS date,
           (ARRAY[0, 15, 30, 30, 30, 45, 60])[1 + floor(r_term * 7)::int] AS term,
           1 + floor(r_qty * 10)::int AS qty,
           round((5 + 495 * r_unit * r_unit)::numeric, 2) AS unit,
           1 + floor(r_product * %(product_count)s)::int AS product_idx,
           CASE WHEN r_fate < 0.06 THEN 'refund_full'
                WHEN r_fate < 0.09 THEN 'refund_part'
                WHEN r_fate < 0.10 THEN 'partial'
                WHEN r_fate < 0.105 THEN 'disputed'
                WHEN r_fate < 0.145 THEN 'paid2'
                ELSE 'paid' END AS fate,
           -- days paid after the due date: -15..60, 10 on average
           floor(-15 + 75 * r_lag * r_lag)::int AS lag,
           r_split, 3 + floor(r_cn * 40)::int AS cn_delay
      FROM draw
)
SELECT n, pidx, (%(partner_ids)s::int[])[pidx] AS partner_id, date,
       date + term AS due, qty, unit, qty * unit AS amount,
       (%(product_ids)s::int[])[product_idx] AS product_id, fate,
       GREATEST(date, date + term + lag) AS pay_date,
       date + cn_delay AS cn_date,
       CASE fate WHEN 'refund_full' THEN qty * unit
                 ELSE round(qty * unit * (0.2 + 0.3 * r_split)::numeric, 2)
       END AS cn_amount,
       round(qty * unit * (0.3 + 0.4 * r_split)::numeric, 2) AS split_amount,
       date + floor((GREATEST(date, date + term + lag) - date) * r_split)::int
           AS split_date,
       fate = 'paid' AND pidx %% 2 = 0 AS batched
  FROM base
"""

STAGE_DOCUMENTS = """
CREATE TEMP TABLE bench_doc (
    doc_id bigint PRIMARY KEY, kind text NOT NULL, partner_id int NOT NULL,
    date date NOT NULL, due date NOT NULL, amount numeric NOT NULL,
    product_id int, qty int, unit numeric, origin bigint, fate text
) ON COMMIT DROP;
CREATE TEMP TABLE bench_match (
    debit_doc bigint NOT NULL, credit_doc bigint NOT NULL,
    amount numeric NOT NULL, max_date date NOT NULL, grp bigint NOT NULL
) ON COMMIT DROP;

-- invoices
INSERT INTO bench_doc
SELECT n, 'out_invoice', partner_id, date, due, amount, product_id, qty, unit,
       NULL, fate
  FROM bench_inv;

-- credit notes of an invoice, in full or in part
INSERT INTO bench_doc
SELECT %(credit_note)s + n, 'out_refund', partner_id, cn_date, cn_date, cn_amount,
       product_id, CASE fate WHEN 'refund_full' THEN qty ELSE 1 END,
       CASE fate WHEN 'refund_full' THEN unit ELSE cn_amount END, n, NULL
  FROM bench_inv
 WHERE fate IN ('refund_full', 'refund_part') AND cn_date <= %(today)s;
INSERT INTO bench_match
SELECT n, %(credit_note)s + n, cn_amount, cn_date, n
  FROM bench_inv
 WHERE fate IN ('refund_full', 'refund_part') AND cn_date <= %(today)s;

-- one payment per invoice: in full, the rest after a credit note, or a part
CREATE TEMP TABLE bench_single ON COMMIT DROP AS
SELECT n, partner_id, pay_date,
       CASE fate WHEN 'paid' THEN amount
                 WHEN 'refund_part' THEN amount - cn_amount
                 ELSE split_amount END AS pay_amount
  FROM bench_inv
 WHERE ((fate = 'paid' AND NOT batched) OR fate IN ('refund_part', 'partial'))
   AND pay_date <= %(today)s;
INSERT INTO bench_doc
SELECT %(payment)s + n, 'payment', partner_id, pay_date, pay_date, pay_amount,
       NULL, NULL, NULL, n, NULL
  FROM bench_single;
INSERT INTO bench_match
SELECT n, %(payment)s + n, pay_amount, pay_date, n FROM bench_single;

-- two payments: a part first, the rest later
INSERT INTO bench_doc
SELECT %(payment)s + n, 'payment', partner_id, split_date, split_date,
       split_amount, NULL, NULL, NULL, n, NULL
  FROM bench_inv WHERE fate = 'paid2' AND split_date <= %(today)s;
INSERT INTO bench_match
SELECT n, %(payment)s + n, split_amount, split_date, n
  FROM bench_inv WHERE fate = 'paid2' AND split_date <= %(today)s;
INSERT INTO bench_doc
SELECT %(second_payment)s + n, 'payment', partner_id, pay_date, pay_date,
       amount - split_amount, NULL, NULL, NULL, n, NULL
  FROM bench_inv WHERE fate = 'paid2' AND pay_date <= %(today)s;
INSERT INTO bench_match
SELECT n, %(second_payment)s + n, amount - split_amount, pay_date, n
  FROM bench_inv WHERE fate = 'paid2' AND pay_date <= %(today)s;

-- every second customer pays two invoices at once (consecutive by date)
CREATE TEMP TABLE bench_pair ON COMMIT DROP AS
WITH ranked AS (
    SELECT n, partner_id, amount, pay_date,
           row_number() OVER (PARTITION BY partner_id ORDER BY date, n) AS rn
      FROM bench_inv WHERE batched
), paired AS (
    SELECT n, partner_id, amount, pay_date,
           CASE WHEN rn %% 2 = 1 THEN n
                ELSE lag(n) OVER (PARTITION BY partner_id ORDER BY rn) END AS first_n
      FROM ranked
)
SELECT n, partner_id, amount, first_n,
       max(pay_date) OVER (PARTITION BY first_n) AS pay_date,
       sum(amount) OVER (PARTITION BY first_n) AS pay_amount
  FROM paired;
INSERT INTO bench_doc
SELECT DISTINCT %(payment)s + first_n, 'payment', partner_id, pay_date, pay_date,
       pay_amount, NULL::int, NULL::int, NULL::numeric, first_n, NULL
  FROM bench_pair WHERE pay_date <= %(today)s;
INSERT INTO bench_match
SELECT n, %(payment)s + first_n, amount, pay_date, first_n
  FROM bench_pair WHERE pay_date <= %(today)s;

-- unapplied payments and credit notes
INSERT INTO bench_doc
SELECT %(unapplied_payment)s + i,
       'payment',
       (%(partner_ids)s::int[])[1 + floor(%(partner_count)s * r1 * r1)::int],
       d, d, round((20 + 2000 * r3)::numeric, 2), NULL, NULL, NULL, NULL, NULL
  FROM (SELECT i, random() AS r1,
               %(today)s::date - floor(random() * %(days)s)::int AS d,
               random() AS r3
          FROM generate_series(1, %(unapplied_payments)s) AS i) AS draw;
INSERT INTO bench_doc
SELECT %(unapplied_credit_note)s + i, 'out_refund',
       (%(partner_ids)s::int[])[1 + floor(%(partner_count)s * r1 * r1)::int],
       d, d, amount, (%(product_ids)s::int[])[1 + floor(r4 * %(product_count)s)::int],
       1, amount, NULL, NULL
  FROM (SELECT i, random() AS r1,
               %(today)s::date - floor(random() * %(days)s)::int AS d,
               round((10 + 500 * random())::numeric, 2) AS amount,
               random() AS r4
          FROM generate_series(1, %(unapplied_credit_notes)s) AS i) AS draw;
"""

# Ids, names, residuals and reconciliation groups, all computed before insert.
STAGE_IDS = """
CREATE TEMP TABLE bench_part ON COMMIT DROP AS
SELECT m.*, %(partial_base)s
            + row_number() OVER (ORDER BY m.max_date, m.debit_doc, m.credit_doc)
           AS partial_id
  FROM bench_match m;

CREATE TEMP TABLE bench_grp ON COMMIT DROP AS
WITH member AS (
    SELECT debit_doc AS doc_id, grp, amount FROM bench_part
     UNION ALL
    SELECT credit_doc, grp, amount FROM bench_part
), settled AS (
    SELECT doc_id, min(grp) AS grp, sum(amount) AS settled
      FROM member GROUP BY doc_id
), per_group AS (
    SELECT s.grp, bool_and(d.amount = s.settled) AS is_full
      FROM settled s JOIN bench_doc d ON d.doc_id = s.doc_id
     GROUP BY s.grp
)
SELECT g.grp, g.is_full,
       CASE WHEN g.is_full
            THEN %(full_base)s
                 + row_number() OVER (PARTITION BY g.is_full ORDER BY g.grp)
       END AS full_id,
       p.first_partial
  FROM per_group g
  JOIN (SELECT grp, min(partial_id) AS first_partial FROM bench_part GROUP BY grp) p
    ON p.grp = g.grp;

CREATE TEMP TABLE bench_entry ON COMMIT DROP AS
WITH settled AS (
    SELECT doc_id, min(grp) AS grp, sum(amount) AS settled
      FROM (SELECT debit_doc AS doc_id, grp, amount FROM bench_part
             UNION ALL
            SELECT credit_doc, grp, amount FROM bench_part) AS member
     GROUP BY doc_id
), numbered AS (
    SELECT d.*, row_number() OVER (ORDER BY d.date, d.doc_id) AS rn,
           row_number() OVER (PARTITION BY d.kind, extract(year FROM d.date)
                              ORDER BY d.date, d.doc_id) AS seq
      FROM bench_doc d
)
SELECT d.doc_id, d.kind, d.partner_id, d.date, d.due, d.amount, d.product_id,
       d.qty, d.unit, d.fate,
       %(move_base)s + d.rn AS move_id,
       %(line_base)s + 2 * d.rn - 1 AS rec_line_id,
       %(line_base)s + 2 * d.rn AS other_line_id,
       CASE WHEN d.kind = 'payment'
            THEN %(payment_base)s
                 + row_number() OVER (PARTITION BY d.kind = 'payment' ORDER BY d.rn)
       END AS payment_id,
       CASE d.kind WHEN 'out_invoice' THEN %(sales_code)s
                   WHEN 'out_refund' THEN 'R' || %(sales_code)s
                   ELSE 'P' || %(bank_code)s END
         || '/' || extract(year FROM d.date) || '/' AS prefix,
       d.seq,
       d.origin,
       d.amount - COALESCE(s.settled, 0) AS residual,
       COALESCE(s.settled, 0) AS settled,
       g.full_id,
       CASE WHEN g.is_full THEN g.full_id::text
            WHEN g.grp IS NOT NULL THEN 'P' || g.first_partial END AS matching_number,
       partner.user_id
  FROM numbered d
  JOIN res_partner partner ON partner.id = d.partner_id
  LEFT JOIN settled s ON s.doc_id = d.doc_id
  LEFT JOIN bench_grp g ON g.grp = s.grp;
CREATE UNIQUE INDEX ON bench_entry (doc_id);
ANALYZE bench_entry;
"""

INSERT_FULL_RECONCILES = """
INSERT INTO account_full_reconcile (id, create_uid, create_date, write_uid, write_date)
SELECT full_id, %(uid)s, %(now)s, %(uid)s, %(now)s FROM bench_grp WHERE is_full
"""

# Payments and moves refer to each other: one statement inserts both.
INSERT_MOVES_AND_PAYMENTS = """
WITH payment AS (
    INSERT INTO account_payment (
        id, name, move_id, journal_id, company_id, payment_method_line_id,
        payment_method_id, currency_id, partner_id, outstanding_account_id,
        destination_account_id, state, payment_type, partner_type, date, amount,
        amount_company_currency_signed, is_reconciled, is_matched, is_sent,
        create_uid, create_date, write_uid, write_date)
    SELECT payment_id, prefix || lpad(seq::text, 6, '0'), move_id, %(bank)s,
           %(company)s, %(method_line)s, %(method)s, %(currency)s, partner_id,
           %(bank_account)s, %(receivable)s, 'paid', 'inbound', 'customer', date,
           amount, amount, residual = 0, true, false,
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM bench_entry WHERE kind = 'payment'
    RETURNING 1
)
INSERT INTO account_move (
    id, name, sequence_prefix, sequence_number, journal_id, company_id,
    partner_id, commercial_partner_id, currency_id, invoice_user_id, state,
    move_type, auto_post, date, invoice_date, invoice_date_due, payment_state,
    payment_reference, invoice_partner_display_name, origin_payment_id,
    reversed_entry_id, amount_untaxed, amount_tax, amount_total, amount_residual,
    amount_untaxed_signed, amount_untaxed_in_currency_signed, amount_tax_signed,
    amount_total_signed, amount_total_in_currency_signed, amount_residual_signed,
    invoice_currency_rate, is_storno, always_tax_exigible, checked,
    posted_before, made_sequence_gap, is_move_sent,
    create_uid, create_date, write_uid, write_date)
SELECT e.move_id, e.prefix || lpad(e.seq::text, 6, '0'), e.prefix, e.seq,
       CASE WHEN e.kind = 'payment' THEN %(bank)s ELSE %(sales)s END, %(company)s,
       e.partner_id, e.partner_id, %(currency)s,
       CASE WHEN e.kind != 'payment' THEN e.user_id END, 'posted',
       CASE WHEN e.kind = 'payment' THEN 'entry' ELSE e.kind END, 'no', e.date,
       CASE WHEN e.kind != 'payment' THEN e.date END,
       CASE WHEN e.kind != 'payment' THEN e.due END,
       CASE WHEN e.kind = 'payment' THEN 'not_paid'
            WHEN e.residual = 0 AND e.fate = 'refund_full' THEN 'reversed'
            WHEN e.residual = 0 THEN 'paid'
            WHEN e.settled > 0 THEN 'partial'
            ELSE 'not_paid' END,
       CASE WHEN e.kind != 'payment' THEN e.prefix || lpad(e.seq::text, 6, '0') END,
       CASE WHEN e.kind != 'payment' THEN partner.name END,
       e.payment_id, origin.move_id,
       e.amount, 0, e.amount,
       CASE WHEN e.kind = 'payment' THEN 0 ELSE e.residual END,
       e.amount * sign, e.amount * sign, 0, e.amount * sign, e.amount * sign,
       CASE WHEN e.kind = 'payment' THEN 0 ELSE e.residual * sign END,
       1, false, false, true, true, false, false,
       %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM (SELECT *, CASE WHEN kind = 'out_refund' THEN -1 ELSE 1 END AS sign
          FROM bench_entry) AS e
  JOIN res_partner partner ON partner.id = e.partner_id
  LEFT JOIN bench_entry origin ON origin.doc_id = e.origin AND e.kind = 'out_refund'
 ORDER BY e.move_id
"""

LINE_COLUMNS = """
    id, move_id, journal_id, company_id, company_currency_id, sequence,
    account_id, currency_id, partner_id, payment_id, full_reconcile_id,
    product_id, product_uom_id, move_name, parent_state, name, matching_number,
    display_type, date, invoice_date, date_maturity, debit, credit, balance,
    amount_currency, amount_residual, amount_residual_currency, reconciled,
    quantity, price_unit, price_subtotal, price_total, discount,
    discount_amount_currency, discount_balance, tax_base_amount, is_downpayment,
    invoice_user_id, move_type, create_uid, create_date, write_uid, write_date
"""

# The receivable line of each entry: debit for invoices, credit otherwise.
INSERT_RECEIVABLE_LINES = f"""
INSERT INTO account_move_line ({LINE_COLUMNS})
SELECT rec_line_id, move_id, journal, %(company)s, %(currency)s, 10000,
       %(receivable)s, %(currency)s, partner_id, payment_id,
       CASE WHEN residual = 0 THEN full_id END, NULL, NULL,
       prefix || lpad(seq::text, 6, '0'), 'posted',
       CASE WHEN kind = 'payment' THEN 'Customer Payment'
            ELSE prefix || lpad(seq::text, 6, '0') END,
       matching_number,
       CASE WHEN kind = 'payment' THEN 'product' ELSE 'payment_term' END,
       date, CASE WHEN kind != 'payment' THEN date END,
       CASE WHEN kind != 'payment' THEN due ELSE date END,
       GREATEST(balance, 0), GREATEST(-balance, 0), balance, balance,
       residual * sign, residual * sign, residual = 0,
       NULL, NULL, NULL, NULL, 0, 0, 0, 0, false,
       CASE WHEN kind != 'payment' THEN user_id END,
       CASE WHEN kind = 'payment' THEN 'entry' ELSE kind END,
       %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM (SELECT *, CASE WHEN kind = 'out_invoice' THEN 1 ELSE -1 END AS sign,
               CASE WHEN kind = 'out_invoice' THEN amount ELSE -amount END
                 AS balance,
               CASE WHEN kind = 'payment' THEN %(bank)s ELSE %(sales)s END
                 AS journal
          FROM bench_entry) AS e
 ORDER BY rec_line_id
"""

# The counterpart: a product line (invoices, credit notes) or the bank line.
INSERT_OTHER_LINES = f"""
INSERT INTO account_move_line ({LINE_COLUMNS})
SELECT other_line_id, move_id, journal, %(company)s, %(currency)s, 10,
       CASE WHEN kind = 'payment' THEN %(bank_account)s ELSE %(income)s END,
       %(currency)s, partner_id, payment_id, NULL,
       e.product_id, CASE WHEN kind != 'payment' THEN tmpl.uom_id END,
       prefix || lpad(seq::text, 6, '0'), 'posted',
       CASE WHEN kind = 'payment' THEN 'Customer Payment'
            ELSE tmpl.name->>'en_US' END,
       NULL, 'product', date, CASE WHEN kind != 'payment' THEN date END,
       CASE WHEN kind = 'payment' THEN date END,
       GREATEST(balance, 0), GREATEST(-balance, 0), balance, balance,
       -- a bank account keeps a residual (it is matched by statements)
       CASE WHEN kind = 'payment' THEN balance ELSE 0 END,
       CASE WHEN kind = 'payment' THEN balance ELSE 0 END, false,
       qty, unit, CASE WHEN kind != 'payment' THEN amount END,
       CASE WHEN kind != 'payment' THEN amount END, 0, 0, 0, 0, false,
       CASE WHEN kind != 'payment' THEN user_id END,
       CASE WHEN kind = 'payment' THEN 'entry' ELSE kind END,
       %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM (SELECT *, CASE WHEN kind = 'out_invoice' THEN -amount ELSE amount END
                    AS balance,
               CASE WHEN kind = 'payment' THEN %(bank)s ELSE %(sales)s END
                 AS journal
          FROM bench_entry) AS e
  LEFT JOIN product_product product ON product.id = e.product_id
  LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
 ORDER BY other_line_id
"""

INSERT_PARTIALS = """
INSERT INTO account_partial_reconcile (
    id, debit_move_id, credit_move_id, full_reconcile_id, debit_currency_id,
    credit_currency_id, company_id, max_date, min_date, debit_partner_id,
    amount, debit_amount_currency, credit_amount_currency, create_uid,
    create_date, write_uid, write_date)
SELECT p.partial_id, debit.rec_line_id, credit.rec_line_id, g.full_id,
       %(currency)s, %(currency)s, %(company)s,
       GREATEST(debit.date, credit.date), LEAST(debit.date, credit.date),
       debit.partner_id,
       p.amount, p.amount, p.amount,
       %(uid)s, %(now)s, %(uid)s, %(now)s
  FROM bench_part p
  JOIN bench_entry debit ON debit.doc_id = p.debit_doc
  JOIN bench_entry credit ON credit.doc_id = p.credit_doc
  JOIN bench_grp g ON g.grp = p.grp
 ORDER BY p.partial_id
"""

# Every entry balances; every receivable residual is its balance less what
# its reconciliations settled.
CHECK_BALANCED = """
SELECT count(*) FROM (
    SELECT line.move_id FROM account_move_line line
      JOIN account_move move ON move.id = line.move_id
     WHERE move.journal_id IN (%(sales)s, %(bank)s)
     GROUP BY line.move_id HAVING sum(line.balance) != 0
) AS unbalanced
"""
CHECK_RESIDUALS = """
SELECT count(*)
  FROM account_move_line line
  LEFT JOIN (SELECT debit_move_id AS id, sum(amount) AS amount
               FROM account_partial_reconcile GROUP BY debit_move_id) AS d
         ON d.id = line.id
  LEFT JOIN (SELECT credit_move_id AS id, sum(amount) AS amount
               FROM account_partial_reconcile GROUP BY credit_move_id) AS c
         ON c.id = line.id
 WHERE line.account_id = %(receivable)s
   AND line.journal_id IN (%(sales)s, %(bank)s)
   AND (line.amount_residual
          != line.balance - COALESCE(d.amount, 0) + COALESCE(c.amount, 0)
        OR line.reconciled != (line.amount_residual = 0))
"""


@contextmanager
def _bulk_load(cr, tables, log):
    """Load ``tables`` without their indexes and foreign keys, then restore them.

    Per row, the inserts would update about 20 indexes and run a foreign key
    check (a query) per filled reference; building the indexes and checking
    the references once, afterwards, is several times faster. The primary
    keys and the indexes of constraints stay. All in the caller's
    transaction: on error PostgreSQL restores everything; on success the
    foreign keys and the index names are checked to be the same as before.
    """
    foreign_keys, indexes = _schema(cr, tables)
    for table, name, _definition in foreign_keys:
        cr.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for _table, name, _definition in indexes:
        cr.execute(f'DROP INDEX "{name}"')
    log(f"  dropped {len(indexes)} indexes and {len(foreign_keys)} foreign keys "
        f"of {', '.join(tables)} for the load")  # fmt: skip
    yield
    start = time.perf_counter()
    cr.execute("SET LOCAL max_parallel_maintenance_workers = 2")
    for _table, _name, definition in indexes:
        cr.execute(definition)
    log(f"  indexes rebuilt in {_since(start)}")
    start = time.perf_counter()
    for table, name, definition in foreign_keys:
        cr.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    log(f"  foreign keys restored and checked in {_since(start)}")
    # (an index definition may read differently once parsed again: names only)
    keys_after, indexes_after = _schema(cr, tables)
    if keys_after != foreign_keys or [i[:2] for i in indexes_after] != [
        i[:2] for i in indexes
    ]:
        raise RuntimeError("the indexes or foreign keys differ after the load")


def _schema(cr, tables):
    """(table, name, definition) of the foreign keys and of the other indexes."""
    cr.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
         ORDER BY 1, 2
        """,
        [tables],
    )
    foreign_keys = cr.fetchall()
    cr.execute(
        """
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text,
               pg_get_indexdef(i.indexrelid)
          FROM pg_index i
         WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conindid = i.indexrelid
                              AND c.conrelid = i.indrelid)
         ORDER BY 1, 2
        """,
        [tables],
    )
    return foreign_keys, cr.fetchall()


def _reserve(cr, sequence, count):
    """Reserve ``count`` ids of ``sequence``; return the id before the first."""
    cr.execute(f"SELECT nextval('{sequence}')")
    base = cr.fetchone()[0]
    cr.execute(f"SELECT setval('{sequence}', %s)", [base + count])
    return base - 1


def _insert_entries(env, info, products, log):
    cr = env.cr
    company = info["company"]
    bank = info["bank_journal"]
    method_line = bank.inbound_payment_method_line_ids[:1]
    today = fields.Date.context_today(env["res.partner"])
    params = {
        "today": today,
        "days": YEARS * 365,
        "invoices": INVOICES,
        "unapplied_payments": UNAPPLIED_PAYMENTS,
        "unapplied_credit_notes": UNAPPLIED_CREDIT_NOTES,
        "partner_ids": info["partner_ids"],
        "partner_count": len(info["partner_ids"]),
        "product_ids": products.ids,
        "product_count": len(products),
        "credit_note": CREDIT_NOTE,
        "payment": PAYMENT,
        "second_payment": SECOND_PAYMENT,
        "unapplied_payment": UNAPPLIED_PAYMENT,
        "unapplied_credit_note": UNAPPLIED_CREDIT_NOTE,
        "company": company.id,
        "currency": company.currency_id.id,
        "receivable": info["receivable_account"].id,
        "income": info["sales_journal"].default_account_id.id,
        "bank_account": bank.default_account_id.id,
        "sales": info["sales_journal"].id,
        "bank": bank.id,
        "method_line": method_line.id,
        "method": method_line.payment_method_id.id,
        "sales_code": SALES_CODE,
        "bank_code": BANK_CODE,
        "uid": env.uid,
        "now": fields.Datetime.now(),
    }
    cr.execute("SET LOCAL work_mem = '256MB'")
    cr.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cr.execute("SELECT setseed(0.42)")

    def step(label, query, analyze=()):
        start = time.perf_counter()
        cr.execute(query, params)
        rows = cr.rowcount
        for table in analyze:
            cr.execute(f"ANALYZE {table}")
        log(f"  {label}: {rows} rows in {_since(start)}")

    step("staging invoices", STAGE_INVOICES, ["bench_inv"])
    step("staging credit notes and payments", STAGE_DOCUMENTS, ["bench_doc"])
    cr.execute("SELECT count(*) FROM bench_doc")
    (documents,) = cr.fetchone()
    cr.execute("SELECT count(*) FROM bench_match")
    (matches,) = cr.fetchone()
    cr.execute("SELECT count(*) FROM bench_doc WHERE kind = 'payment'")
    (payments,) = cr.fetchone()
    bases = {
        "move_base": _reserve(cr, "account_move_id_seq", documents),
        "line_base": _reserve(cr, "account_move_line_id_seq", 2 * documents),
        "payment_base": _reserve(cr, "account_payment_id_seq", payments),
        "partial_base": _reserve(cr, "account_partial_reconcile_id_seq", matches),
        "full_base": _reserve(cr, "account_full_reconcile_id_seq", matches),
    }
    params.update(bases)
    step("staging ids, names and residuals", STAGE_IDS, ["bench_part", "bench_grp"])
    with _bulk_load(cr, LOADED_TABLES, log):
        step("account_full_reconcile", INSERT_FULL_RECONCILES)
        step("account_payment + account_move", INSERT_MOVES_AND_PAYMENTS)
        step("account_move_line (receivable)", INSERT_RECEIVABLE_LINES)
        step("account_move_line (product or bank)", INSERT_OTHER_LINES)
        step("account_partial_reconcile", INSERT_PARTIALS)
        start = time.perf_counter()
        env["account.move"]._fill_last_reconciliation_date()  # as at install
        log(f"  account_move.last_reconciliation_date: {_since(start)}")
        start = time.perf_counter()
        for table in LOADED_TABLES:
            cr.execute(f"ANALYZE {table}")
        log(f"  ANALYZE: {_since(start)}")
    for label, query in (("unbalanced entries", CHECK_BALANCED),
                         ("inconsistent residuals", CHECK_RESIDUALS)):  # fmt: skip
        start = time.perf_counter()
        cr.execute(query, params)
        (count,) = cr.fetchone()
        log(f"  check of {label}: {_since(start)}")
        if count:
            raise RuntimeError(f"generated data: {count} {label}")
    cr.execute("""SELECT kind, count(*) FROM bench_doc GROUP BY kind ORDER BY kind""")
    counts = ", ".join(f"{count} {kind}" for kind, count in cr.fetchall())
    log(f"  checked: entries balance, residuals match; {counts}, {matches} partials")
    env.invalidate_all()


def _vacuum_analyze(env):
    """VACUUM ANALYZE (outside a transaction), so plans and visibility are set."""
    with env.registry.cursor() as cr:
        cr.connection.autocommit = True
        for table in TABLES:
            cr.execute(f"VACUUM ANALYZE {table}")
