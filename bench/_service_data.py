"""1,000,000 serial numbers with their deliveries and service, for the
``crm_service_serial`` benchmark (a helper).

``ensure_service_data(env)`` makes, once, in the company of the environment:

* 4 serial-tracked devices "Bench Device A".."D" (warranty 12, 24, 24 and
  36 months from the delivery), an extended warranty "Bench Extended
  Warranty" (24 more months, every device of the order) and 3 spare parts
  (ORM);
* 50,000 customers "Bench Service Customer 00001".."50000";
* 1,000,000 serial numbers ``BSV-<A..D>-<7 digits>`` (``stock_lot``), each
  delivered once from WH/Stock to Customers in a done delivery order of 4
  serials of one product (250,000 ``stock_picking`` and ``stock_move``, one
  ``stock_move_line`` per serial), dated over the last 5 years; 80% of the
  deliveries come from a confirmed sales order (``sale_order`` with a device
  line, so the moves have a ``sale_line_id``), 15% of those orders also sell
  the extended warranty;
* about 3% of the serials of deliveries older than 100 days resold: returned
  (a done receipt from the customer, ``origin_returned_move_id`` set) and
  delivered to another customer without a sales order;
* for about 10% of the serials, 1 to 3 service cases (``crm_service_case``)
  opened after the delivery, with their computed warranty status on the day
  they were opened (the same rule as ``stock.lot._warranty_dates``), SLA
  deadlines, states by age (old ones closed, resolved or rejected);
* a repair order (``repair_order``) for each repair or warranty case past
  "new" and not rejected, done when the case is resolved or closed; a done
  repair used 1 or 2 parts (done ``stock_move`` with ``repair_line_type``
  "add" and their move line), each costed (``crm_service_cost``, part) plus
  its labour; the cases' cost totals are summed from the cost lines.

No invoices are made: the devices' warranty starts on the delivery.
Quantities on hand (``stock_quant``) are not kept: nothing here reads them.

Everything but the products is inserted set-based in SQL (``INSERT ...
SELECT`` over ``generate_series``, with ``random()`` seeded by ``setseed``)
in one transaction, every NOT NULL column filled, the id sequences moved past
the new rows (``setval``). Each table is analyzed right after its load: the
foreign key checks of the next loads would otherwise plan for an empty table
and scan it for every row (hours instead of minutes). A second call finds the
lots of "Bench Device A".."D" and does nothing.
"""

import time

from odoo import fields
from odoo.tools import SQL

SERIALS = 1_000_000
PER_DELIVERY = 4
CUSTOMERS = 50_000
YEARS = 5
DEVICES = [("A", 12, 399.0), ("B", 24, 649.0), ("C", 24, 899.0), ("D", 36, 1490.0)]
PARTS = [("Bench Part Battery", 18.0), ("Bench Part Screen", 64.0),
         ("Bench Part Board", 120.0)]  # fmt: skip
EXTENSION_MONTHS = 24
DEVICE_CODE = "BENCH-SVC-%s"
SERIAL_FORMAT = "BSV-%s-%07d"
CUSTOMER_NAME = "Bench Service Customer %05d"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
TABLES = [
    "res_partner", "stock_lot", "stock_picking", "stock_move", "stock_move_line",
    "sale_order", "sale_order_line", "crm_service_case", "repair_order",
    "crm_service_cost",
]  # fmt: skip


def ensure_service_data(env, log=print):
    """Make the data if missing; return a dict describing it.

    Keys: ``devices`` (product.product), ``serials`` (how many lots).
    """
    env = env(context=QUIET)
    devices = _ensure_products(env)
    env.cr.execute(
        "SELECT count(*) FROM stock_lot WHERE product_id = ANY(%s)", [devices.ids]
    )
    count = env.cr.fetchone()[0]
    if count >= SERIALS:
        return {"devices": devices, "serials": count, "made": False}
    if count:
        raise RuntimeError(f"{count} bench serials found, expected 0 or {SERIALS}")
    start = time.perf_counter()
    _insert_all(env, devices, log)
    env.cr.commit()
    log(f"  committed; ANALYZE ({time.perf_counter() - start:.0f} s so far)")
    for table in TABLES:
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.cr.commit()
    env.invalidate_all()
    return {"devices": devices, "serials": SERIALS, "made": True}


def _ensure_products(env):
    Product = env["product.product"]
    devices = Product.search(
        [("default_code", "in", [DEVICE_CODE % c for c, _m, _p in DEVICES])],
        order="default_code",
    )
    if len(devices) == len(DEVICES):
        return devices
    devices = Product.create(
        [
            {
                "name": f"Bench Device {code}",
                "default_code": DEVICE_CODE % code,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "list_price": price,
                "warranty_months": months,
                "warranty_start": "delivery",
            }
            for code, months, price in DEVICES
        ]
    )
    Product.create(
        {
            "name": "Bench Extended Warranty",
            "default_code": "BENCH-SVC-EXT",
            "type": "service",
            "list_price": 99.0,
            "is_extended_warranty": True,
            "extended_warranty_months": EXTENSION_MONTHS,
        }
    )
    Product.create(
        [
            {"name": name, "default_code": f"BENCH-SVC-P{i}", "type": "consu",
             "is_storable": True, "standard_price": cost, "list_price": 2 * cost}
            for i, (name, cost) in enumerate(PARTS, 1)
        ]
    )  # fmt: skip
    return devices


def _bases(env, tables):
    """The next free id of each table (its sequence's next value - 1)."""
    bases = {}
    for table in tables:
        env.cr.execute(
            SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table))
        )
        max_id = env.cr.fetchone()[0]
        env.cr.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        bases[table] = max(max_id, env.cr.fetchone()[0])
    return bases


def _set_sequences(env, tables):
    for table in tables:
        env.cr.execute(
            SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "(SELECT MAX(id) FROM %s))",
                table,
                SQL.identifier(table),
            )
        )


def _params(env, devices):
    company = env.company
    Warehouse = env["stock.warehouse"]
    warehouse = Warehouse.search([("company_id", "=", company.id)], limit=1)
    Product = env["product.product"]
    ext = Product.search([("default_code", "=", "BENCH-SVC-EXT")])
    parts = Product.search(
        [("default_code", "like", "BENCH-SVC-P")], order="default_code"
    )
    repair_type = warehouse.repair_type_id
    return {
        "company": company.id,
        "currency": company.currency_id.id,
        "uid": env.uid,
        "now": fields.Datetime.now().replace(microsecond=0),
        "warehouse": warehouse.id,
        "stock": warehouse.lot_stock_id.id,
        "customers": env.ref("stock.stock_location_customers").id,
        "out_type": warehouse.out_type_id.id,
        "in_type": warehouse.in_type_id.id,
        "uom": env.ref("uom.product_uom_unit").id,
        "devices": devices.ids,
        "codes": [code for code, _m, _p in DEVICES],
        "names": devices.mapped("name"),
        "months": [months for _c, months, _p in DEVICES],
        "prices": [price for _c, _m, price in DEVICES],
        "ext": ext.id,
        "ext_name": ext.name,
        "parts": parts.ids,
        "part_names": parts.mapped("name"),
        "part_costs": parts.mapped("standard_price"),
        "repair_type": repair_type.id,
        "repair_src": repair_type.default_location_src_id.id,
        "repair_dest": repair_type.default_location_dest_id.id,
        "repair_remove": repair_type.default_remove_location_dest_id.id,
        "repair_recycle": repair_type.default_recycle_location_dest_id.id,
        "repair_product_src": repair_type.default_product_location_src_id.id,
        "repair_product_dest": repair_type.default_product_location_dest_id.id,
        "causes": env["crm.service.cause"].search([]).ids,
        "serials": SERIALS,
        "per_delivery": PER_DELIVERY,
        "groups": SERIALS // PER_DELIVERY,
        "n_customers": CUSTOMERS,
        "days": YEARS * 365,
        "ext_months": EXTENSION_MONTHS,
    }


def _insert_all(env, devices, log):
    cr = env.cr
    p = _params(env, devices)
    p.update({f"b_{t}": b for t, b in _bases(env, TABLES).items()})
    cr.execute("SELECT setseed(0.42)")

    def step(label, query):
        start = time.perf_counter()
        cr.execute(query, p)
        rows = cr.rowcount
        words = query.split()
        if words[:2] == ["INSERT", "INTO"]:
            # Fresh statistics, or the foreign key checks of the next loads
            # take this table for empty and scan it for every row.
            cr.execute(SQL("ANALYZE %s", SQL.identifier(words[2])))
        log(f"  {label}: {rows} rows, {time.perf_counter() - start:.1f} s")

    step("customers", """
        INSERT INTO res_partner (id, name, complete_name, commercial_partner_id,
               active, is_company, type, lang, autopost_bills, partner_share,
               customer_rank, supplier_rank, create_uid, write_uid, create_date,
               write_date)
        SELECT %(b_res_partner)s + i,
               format('Bench Service Customer %%s', lpad(i::text, 5, '0')),
               format('Bench Service Customer %%s', lpad(i::text, 5, '0')),
               %(b_res_partner)s + i, TRUE, TRUE, 'contact', 'en_US', 'ask', TRUE,
               1, 0, %(uid)s, %(uid)s, %(now)s, %(now)s
          FROM generate_series(1, %(n_customers)s) i
    """)  # fmt: skip
    # One delivery order per 4 serials of one product; 80% from a sales order.
    step("staging deliveries", """
        CREATE TEMP TABLE svc_grp ON COMMIT DROP AS
        SELECT g, g %% 4 + 1 AS p,
               %(b_res_partner)s + 1
                   + floor(random() * %(n_customers)s)::int AS partner_id,
               (%(now)s::timestamp - interval '30 days'
                 - random() * (%(days)s - 30) * interval '1 day')::timestamp(0) AS d1,
               random() < 0.8 AS sold, random() AS r_ext
          FROM generate_series(0, %(groups)s - 1) g
    """)  # fmt: skip
    cr.execute("ALTER TABLE svc_grp ADD ext boolean")
    cr.execute("UPDATE svc_grp SET ext = sold AND r_ext < 0.15")
    step("staging serials", """
        CREATE TEMP TABLE svc_lot ON COMMIT DROP AS
        SELECT n, g.g, g.p, %(b_stock_lot)s + n AS lot_id, g.partner_id, g.d1, g.sold,
               g.ext, random() AS r_resold, random() AS r_when, random() AS r_case,
               %(b_res_partner)s + 1
                   + floor(random() * %(n_customers)s)::int AS partner2_id
          FROM generate_series(1, %(serials)s) n
          JOIN svc_grp g ON g.g = (n - 1) / %(per_delivery)s
    """)  # fmt: skip
    cr.execute("""
        ALTER TABLE svc_lot ADD r int, ADD d_return timestamp, ADD d_resale timestamp;
        WITH resold AS (
            SELECT n, row_number() OVER (ORDER BY n) AS r,
                   d1 + (%(now)s::timestamp - d1) * (0.3 + 0.3 * r_when) AS d_return
              FROM svc_lot
             WHERE r_resold < 0.03 AND d1 < %(now)s::timestamp - interval '100 days'
        )
        UPDATE svc_lot l SET r = resold.r, d_return = resold.d_return::timestamp(0),
               d_resale = (resold.d_return + interval '5 days')::timestamp(0)
          FROM resold WHERE resold.n = l.n;
        CREATE INDEX ON svc_lot (n);
        ANALYZE svc_grp; ANALYZE svc_lot;
    """, p)  # fmt: skip
    cr.execute("SELECT count(*) FROM svc_lot WHERE r IS NOT NULL")
    p["resold"] = cr.fetchone()[0]

    step("stock_lot", """
        INSERT INTO stock_lot (id, product_id, product_uom_id, company_id, name,
               create_uid, write_uid, create_date, write_date)
        SELECT lot_id, (%(devices)s::int[])[p], %(uom)s, %(company)s,
               format('BSV-%%s-%%s', (%(codes)s::text[])[p], lpad(n::text, 7, '0')),
               %(uid)s, %(uid)s, d1 - interval '10 days', d1 - interval '10 days'
          FROM svc_lot
    """)  # fmt: skip
    step("sale_order", """
        INSERT INTO sale_order (id, company_id, partner_id, partner_invoice_id,
               partner_shipping_id, currency_id, user_id, name, state, invoice_status,
               currency_rate, amount_untaxed, amount_tax, amount_total, locked,
               require_signature, require_payment, date_order, picking_policy,
               delivery_status, effective_date, warehouse_id, prepayment_percent,
               create_uid, write_uid, create_date, write_date)
        SELECT %(b_sale_order)s + g + 1, %(company)s, partner_id, partner_id,
               partner_id,
               %(currency)s, %(uid)s, format('BS%%s', lpad((g + 1)::text, 7, '0')),
               'sale', 'to invoice', 1.0, t.amount, 0, t.amount, FALSE, FALSE, FALSE,
               d1 - interval '2 days', 'direct', 'full', d1, %(warehouse)s, 1.0,
               %(uid)s, %(uid)s, d1 - interval '2 days', d1
          FROM svc_grp,
               LATERAL (SELECT %(per_delivery)s * (%(prices)s::float[])[p]
                               + CASE WHEN ext THEN 99.0 ELSE 0 END AS amount) t
         WHERE sold
    """)  # fmt: skip
    line_columns = """
        INSERT INTO sale_order_line (id, order_id, sequence, company_id, currency_id,
               order_partner_id, salesman_id, product_id, product_uom, state,
               qty_delivered_method, invoice_status, name, product_uom_qty, price_unit,
               technical_price_unit, discount, price_subtotal, price_total, price_tax,
               price_reduce_taxexcl, price_reduce_taxinc, qty_delivered, qty_invoiced,
               qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
               is_downpayment, is_expense, customer_lead, warehouse_id, create_uid,
               write_uid, create_date, write_date)
    """
    step("sale_order_line (devices)", line_columns + """
        SELECT %(b_sale_order_line)s + 2 * g + 1, %(b_sale_order)s + g + 1, 10,
               %(company)s, %(currency)s, partner_id, %(uid)s, (%(devices)s::int[])[p],
               %(uom)s, 'sale', 'stock_move', 'to invoice', (%(names)s::text[])[p],
               %(per_delivery)s, price, price, 0, %(per_delivery)s * price,
               %(per_delivery)s * price, 0, price, price, %(per_delivery)s, 0,
               %(per_delivery)s, 0, %(per_delivery)s * price, FALSE, FALSE, 0,
               %(warehouse)s, %(uid)s, %(uid)s, d1 - interval '2 days', d1
          FROM svc_grp, LATERAL (SELECT (%(prices)s::float[])[p] AS price) t
         WHERE sold
    """)  # fmt: skip
    step("sale_order_line (extended warranties)", line_columns + """
        SELECT %(b_sale_order_line)s + 2 * g + 2, %(b_sale_order)s + g + 1, 11,
               %(company)s, %(currency)s, partner_id, %(uid)s, %(ext)s, %(uom)s,
               'sale', 'manual', 'to invoice', %(ext_name)s, 1, 99.0, 99.0, 0, 99.0,
               99.0, 0, 99.0, 99.0, 1, 0, 1, 0, 99.0, FALSE, FALSE, 0, %(warehouse)s,
               %(uid)s, %(uid)s, d1 - interval '2 days', d1
          FROM svc_grp WHERE ext
    """)  # fmt: skip
    # Pickings and moves: delivery g -> id base + g + 1; the return and the
    # second delivery of resold serial r -> base + groups + 2r - 1 and + 2r.
    picking_columns = """
        INSERT INTO stock_picking (id, name, origin, location_id, location_dest_id,
               picking_type_id, partner_id, company_id, user_id, move_type, state,
               priority, printed, is_locked, has_deadline_issue, scheduled_date, date,
               date_done, sale_id, return_id, create_uid, write_uid, create_date,
               write_date)
    """
    step("stock_picking (deliveries)", picking_columns + """
        SELECT %(b_stock_picking)s + g + 1,
               format('WH/OUT/B%%s', lpad((g + 1)::text, 7, '0')),
               CASE WHEN sold THEN format('BS%%s', lpad((g + 1)::text, 7, '0')) END,
               %(stock)s, %(customers)s, %(out_type)s, partner_id, %(company)s, %(uid)s,
               'direct', 'done', '0', FALSE, TRUE, FALSE, d1, d1, d1,
               CASE WHEN sold THEN %(b_sale_order)s + g + 1 END, NULL,
               %(uid)s, %(uid)s, d1 - interval '1 day', d1
          FROM svc_grp
    """)  # fmt: skip
    step("stock_picking (returns and resales)", picking_columns + """
        SELECT %(b_stock_picking)s + %(groups)s + 2 * r - 1 + k,
               format(CASE k WHEN 0 THEN 'WH/IN/B%%s' ELSE 'WH/OUT/BR%%s' END,
                      lpad(r::text, 7, '0')),
               NULL,
               CASE k WHEN 0 THEN %(customers)s ELSE %(stock)s END,
               CASE k WHEN 0 THEN %(stock)s ELSE %(customers)s END,
               CASE k WHEN 0 THEN %(in_type)s ELSE %(out_type)s END,
               CASE k WHEN 0 THEN partner_id ELSE partner2_id END, %(company)s, %(uid)s,
               'direct', 'done', '0', FALSE, TRUE, FALSE, d, d, d, NULL,
               CASE k WHEN 0 THEN %(b_stock_picking)s + g + 1 END,
               %(uid)s, %(uid)s, d, d
          FROM svc_lot, LATERAL (VALUES (0, d_return), (1, d_resale)) AS v(k, d)
         WHERE r IS NOT NULL
    """)  # fmt: skip
    move_columns = """
        INSERT INTO stock_move (id, sequence, company_id, product_id, product_uom,
               location_id, location_dest_id, partner_id, picking_id, picking_type_id,
               warehouse_id, origin_returned_move_id, name, priority, state, origin,
               procure_method, reference, product_qty, product_uom_qty, quantity,
               picked,
               scrapped, propagate_cancel, is_inventory, additional, date, price_unit,
               to_refund, sale_line_id, repair_id, repair_line_type, create_uid,
               write_uid, create_date, write_date)
    """
    step("stock_move (deliveries)", move_columns + """
        SELECT %(b_stock_move)s + g + 1, 10, %(company)s, (%(devices)s::int[])[p],
               %(uom)s,
               %(stock)s, %(customers)s, partner_id, %(b_stock_picking)s + g + 1,
               %(out_type)s, %(warehouse)s, NULL, (%(names)s::text[])[p], '0', 'done',
               CASE WHEN sold THEN format('BS%%s', lpad((g + 1)::text, 7, '0')) END,
               'make_to_stock', format('WH/OUT/B%%s', lpad((g + 1)::text, 7, '0')),
               %(per_delivery)s, %(per_delivery)s, %(per_delivery)s, TRUE, FALSE,
               TRUE, FALSE, FALSE, d1, 0, FALSE,
               CASE WHEN sold THEN %(b_sale_order_line)s + 2 * g + 1 END, NULL, NULL,
               %(uid)s, %(uid)s, d1 - interval '1 day', d1
          FROM svc_grp
    """)  # fmt: skip
    step("stock_move (returns and resales)", move_columns + """
        SELECT %(b_stock_move)s + %(groups)s + 2 * r - 1 + k, 10, %(company)s,
               (%(devices)s::int[])[p], %(uom)s,
               CASE k WHEN 0 THEN %(customers)s ELSE %(stock)s END,
               CASE k WHEN 0 THEN %(stock)s ELSE %(customers)s END,
               CASE k WHEN 0 THEN partner_id ELSE partner2_id END,
               %(b_stock_picking)s + %(groups)s + 2 * r - 1 + k,
               CASE k WHEN 0 THEN %(in_type)s ELSE %(out_type)s END, %(warehouse)s,
               CASE k WHEN 0 THEN %(b_stock_move)s + g + 1 END, (%(names)s::text[])[p],
               '0', 'done', NULL, 'make_to_stock',
               format(CASE k WHEN 0 THEN 'WH/IN/B%%s' ELSE 'WH/OUT/BR%%s' END,
                      lpad(r::text, 7, '0')),
               1, 1, 1, TRUE, FALSE, FALSE, FALSE, FALSE, d, 0, k = 0, NULL, NULL, NULL,
               %(uid)s, %(uid)s, d, d
          FROM svc_lot, LATERAL (VALUES (0, d_return), (1, d_resale)) AS v(k, d)
         WHERE r IS NOT NULL
    """)  # fmt: skip
    line_columns = """
        INSERT INTO stock_move_line (id, picking_id, move_id, company_id, product_id,
               product_uom_id, lot_id, location_id, location_dest_id, state, reference,
               quantity, quantity_product_uom, picked, date, create_uid, write_uid,
               create_date, write_date)
    """
    step("stock_move_line (deliveries)", line_columns + """
        SELECT %(b_stock_move_line)s + n, %(b_stock_picking)s + g + 1,
               %(b_stock_move)s + g + 1, %(company)s, (%(devices)s::int[])[p], %(uom)s,
               lot_id, %(stock)s, %(customers)s, 'done',
               format('WH/OUT/B%%s', lpad((g + 1)::text, 7, '0')), 1, 1, TRUE, d1,
               %(uid)s, %(uid)s, d1 - interval '1 day', d1
          FROM svc_lot
    """)  # fmt: skip
    step("stock_move_line (returns and resales)", line_columns + """
        SELECT %(b_stock_move_line)s + %(serials)s + 2 * r - 1 + k,
               %(b_stock_picking)s + %(groups)s + 2 * r - 1 + k,
               %(b_stock_move)s + %(groups)s + 2 * r - 1 + k, %(company)s,
               (%(devices)s::int[])[p], %(uom)s, lot_id,
               CASE k WHEN 0 THEN %(customers)s ELSE %(stock)s END,
               CASE k WHEN 0 THEN %(stock)s ELSE %(customers)s END, 'done',
               format(CASE k WHEN 0 THEN 'WH/IN/B%%s' ELSE 'WH/OUT/BR%%s' END,
                      lpad(r::text, 7, '0')),
               1, 1, TRUE, d, %(uid)s, %(uid)s, d, d
          FROM svc_lot, LATERAL (VALUES (0, d_return), (1, d_resale)) AS v(k, d)
         WHERE r IS NOT NULL
    """)  # fmt: skip
    _insert_service(env, p, step)
    _set_sequences(env, TABLES)


def _insert_service(env, p, step):
    """Service cases, their repair orders, parts and costs."""
    cr = env.cr
    # 10% of the serials get 1-3 cases, opened after the delivery. The
    # warranty on that day follows stock.lot._warranty_dates: from the first
    # delivery for the product's months (minus a day), extended by the
    # order's extended warranty.
    step("staging cases", """
        CREATE TEMP TABLE svc_case ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY l.n, k) AS c, l.n, l.lot_id, l.p,
               (l.d1 + (%(now)s::timestamp - l.d1)
                   * (0.02 + 0.97 * random()))::timestamp(0) AS date_open,
               l.d1::date AS w_start,
               (l.d1::date + make_interval(months => (%(months)s::int[])[l.p])
                   - interval '1 day')::date AS w_end,
               l.ext, l.partner_id, l.partner2_id, l.d_resale,
               random() AS r_type, random() AS r_state, random() AS r_misc
          FROM svc_lot l, generate_series(1, 1 + floor(l.r_case * 30)::int) k
         WHERE l.r_case < 0.10
    """)  # fmt: skip
    cr.execute("""
        ALTER TABLE svc_case ADD case_type varchar, ADD state varchar,
            ADD priority varchar, ADD warranty varchar;
        UPDATE svc_case SET
            case_type = (ARRAY['repair', 'repair', 'warranty', 'complaint',
                               'inspection', 'installation'])
                [1 + floor(r_type * 6)::int],
            priority = (ARRAY['0', '1', '1', '1', '2', '3'])
                [1 + floor(r_misc * 6)::int],
            state = CASE
                WHEN date_open < %(now)s::timestamp - interval '30 days' THEN
                    (ARRAY['closed', 'closed', 'closed', 'closed', 'closed', 'closed',
                           'closed', 'resolved', 'resolved', 'rejected'])
                        [1 + floor(r_state * 10)::int]
                ELSE (ARRAY['new', 'diagnosed', 'in_repair', 'waiting_parts',
                            'waiting_customer', 'resolved'])
                     [1 + floor(r_state * 6)::int]
            END,
            warranty = CASE
                WHEN date_open::date < w_start THEN 'unknown'
                WHEN date_open::date <= w_end THEN 'in_warranty'
                WHEN ext AND date_open::date <= (w_end + make_interval(
                        months => %(ext_months)s))::date THEN 'extended'
                ELSE 'out_of_warranty'
            END;
        ANALYZE svc_case;
    """, p)  # fmt: skip
    step("crm_service_case", """
        INSERT INTO crm_service_case (id, company_id, partner_id, product_id, lot_id,
               cause_id, name, case_type, channel, priority, state, rejection_reason,
               warranty_computed, warranty_status, problem, resolution, cost_company,
               cost_customer, cost_total, date_open, date_responded, date_resolved,
               sla_response_deadline, sla_resolution_deadline, user_id, create_uid,
               write_uid, create_date, write_date)
        SELECT %(b_crm_service_case)s + c, %(company)s,
               CASE WHEN d_resale IS NOT NULL AND date_open > d_resale
                    THEN partner2_id ELSE partner_id END,
               (%(devices)s::int[])[p], lot_id,
               CASE WHEN state IN ('resolved', 'closed')
                    THEN (%(causes)s::int[])
                         [1 + c %% cardinality(%(causes)s::int[])] END,
               format('SRV/B/%%s', lpad(c::text, 7, '0')), case_type,
               (ARRAY['desk', 'phone', 'email', 'portal', 'onsite'])[1 + c %% 5],
               s.priority, state,
               CASE WHEN state = 'rejected' THEN 'Bench: no fault found' END,
               warranty, warranty, '<p>Bench: the device stopped working.</p>',
               CASE WHEN state IN ('resolved', 'closed')
                    THEN '<p>Bench: repaired and tested.</p>' END,
               0, 0, 0, date_open,
               CASE WHEN state <> 'new' THEN date_open + interval '5 hours' END,
               CASE WHEN state IN ('resolved', 'closed')
                    THEN date_open + interval '3 days' END,
               date_open + sla.response_hours * interval '1 hour',
               date_open + sla.resolution_hours * interval '1 hour',
               %(uid)s, %(uid)s, %(uid)s, date_open, date_open
          FROM svc_case s
          LEFT JOIN crm_service_sla sla
            ON sla.company_id = %(company)s AND sla.team_id IS NULL
           AND sla.priority = s.priority
    """)  # fmt: skip
    # A repair order per repair or warranty case that got past "new".
    step("repair_order", """
        INSERT INTO repair_order (id, company_id, partner_id, user_id, product_id,
               product_uom, lot_id, picking_type_id, location_id,
               product_location_src_id, product_location_dest_id, location_dest_id,
               parts_location_id, recycle_location_id, name, state, priority,
               internal_notes, product_qty, under_warranty, schedule_date,
               service_case_id, create_uid, write_uid, create_date, write_date)
        SELECT %(b_repair_order)s + c, %(company)s, sc.partner_id, %(uid)s,
               sc.product_id, %(uom)s, sc.lot_id, %(repair_type)s, %(repair_src)s,
               %(repair_product_src)s, %(repair_product_dest)s, %(repair_dest)s,
               %(repair_remove)s, %(repair_recycle)s,
               format('WH/RO/B%%s', lpad(c::text, 7, '0')),
               CASE WHEN sc.state IN ('resolved', 'closed') THEN 'done'
                    ELSE 'under_repair' END, '0', sc.problem, 1,
               sc.warranty_status IN ('in_warranty', 'extended'),
               sc.date_open + interval '1 day', sc.id, %(uid)s, %(uid)s,
               sc.date_open + interval '1 day', sc.date_open + interval '1 day'
          FROM svc_case s
          JOIN crm_service_case sc ON sc.id = %(b_crm_service_case)s + s.c
         WHERE s.case_type IN ('repair', 'warranty')
           AND s.state NOT IN ('new', 'rejected')
    """)  # fmt: skip
    # Parts of the done repairs: 1 or 2, each a done move with its line.
    step("staging parts", """
        CREATE TEMP TABLE svc_part ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY ro.id, k) AS m, ro.id AS repair_id,
               ro.service_case_id, ro.name AS repair_name, ro.under_warranty,
               ro.schedule_date + interval '1 day' AS d,
               1 + (ro.id + k) %% 3 AS part
          FROM repair_order ro, generate_series(1, 1 + ro.id %% 2) k
         WHERE ro.id > %(b_repair_order)s AND ro.state = 'done'
    """)  # fmt: skip
    p["b_part_move"] = p["b_stock_move"] + p["groups"] + 2 * p["resold"]
    p["b_part_line"] = p["b_stock_move_line"] + p["serials"] + 2 * p["resold"]
    step("stock_move (parts)", """
        INSERT INTO stock_move (id, sequence, company_id, product_id, product_uom,
               location_id, location_dest_id, picking_type_id, warehouse_id, name,
               priority, state, origin, procure_method, reference, product_qty,
               product_uom_qty, quantity, picked, scrapped, propagate_cancel,
               is_inventory, additional, date, price_unit, to_refund, repair_id,
               repair_line_type, create_uid, write_uid, create_date, write_date)
        SELECT %(b_part_move)s + m, 10, %(company)s, (%(parts)s::int[])[part], %(uom)s,
               %(repair_src)s, %(repair_dest)s, %(repair_type)s, %(warehouse)s,
               (%(part_names)s::text[])[part], '0', 'done', repair_name,
               'make_to_stock', repair_name, 1, 1, 1, TRUE, FALSE, TRUE, FALSE, FALSE,
               d, 0, FALSE, repair_id, 'add', %(uid)s, %(uid)s, d, d
          FROM svc_part
    """)  # fmt: skip
    step("stock_move_line (parts)", """
        INSERT INTO stock_move_line (id, move_id, company_id, product_id,
               product_uom_id, location_id, location_dest_id, state, reference,
               quantity, quantity_product_uom, picked, date, create_uid, write_uid,
               create_date, write_date)
        SELECT %(b_part_line)s + m, %(b_part_move)s + m, %(company)s,
               (%(parts)s::int[])[part], %(uom)s, %(repair_src)s, %(repair_dest)s,
               'done', repair_name, 1, 1, TRUE, d, %(uid)s, %(uid)s, d, d
          FROM svc_part
    """)  # fmt: skip
    cost_columns = """
        INSERT INTO crm_service_cost (id, case_id, company_id, lot_id, cost_type,
               name, product_id, user_id, date, quantity, unit_cost, amount,
               charge_to, repair_move_id, create_uid, write_uid, create_date,
               write_date)
    """
    step("crm_service_cost (parts)", cost_columns + """
        SELECT %(b_crm_service_cost)s + m, sp.service_case_id, %(company)s, sc.lot_id,
               'part', (%(part_names)s::text[])[part], (%(parts)s::int[])[part],
               %(uid)s, sp.d::date, 1, (%(part_costs)s::float[])[part],
               (%(part_costs)s::float[])[part],
               CASE WHEN sc.warranty_status IN ('in_warranty', 'extended')
                    THEN 'company' ELSE 'customer' END,
               %(b_part_move)s + m, %(uid)s, %(uid)s, sp.d, sp.d
          FROM svc_part sp JOIN crm_service_case sc ON sc.id = sp.service_case_id
    """)  # fmt: skip
    cr.execute("SELECT count(*) FROM svc_part")
    p["parts_count"] = cr.fetchone()[0]
    step("crm_service_cost (labour)", cost_columns + """
        SELECT %(b_crm_service_cost)s + %(parts_count)s
                   + row_number() OVER (ORDER BY ro.id),
               ro.service_case_id, %(company)s, ro.lot_id, 'labour', 'Bench: workshop',
               NULL, %(uid)s, ro.schedule_date::date, 1 + ro.id %% 3, 45.0,
               45.0 * (1 + ro.id %% 3),
               CASE WHEN ro.under_warranty THEN 'company' ELSE 'customer' END,
               NULL, %(uid)s, %(uid)s, ro.schedule_date, ro.schedule_date
          FROM repair_order ro
         WHERE ro.id > %(b_repair_order)s AND ro.state = 'done'
    """)  # fmt: skip
    step("crm_service_case (cost totals)", """
        UPDATE crm_service_case sc
           SET cost_company = t.company, cost_customer = t.customer,
               cost_total = t.total
          FROM (SELECT case_id,
                       SUM(amount) FILTER (WHERE charge_to = 'company') AS company,
                       SUM(amount) FILTER (WHERE charge_to = 'customer') AS customer,
                       SUM(amount) AS total
                  FROM crm_service_cost WHERE id > %(b_crm_service_cost)s
              GROUP BY case_id) t
         WHERE sc.id = t.case_id
    """)  # fmt: skip
    cr.execute("""
        UPDATE crm_service_case SET cost_company = COALESCE(cost_company, 0),
               cost_customer = COALESCE(cost_customer, 0)
         WHERE id > %(b_crm_service_case)s
           AND (cost_company IS NULL OR cost_customer IS NULL)
    """, p)  # fmt: skip
