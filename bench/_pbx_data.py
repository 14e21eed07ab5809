"""1,000,000 contacts with phone numbers typed the way people type them, for
the ``crm_pbx`` benchmarks (a helper).

``ensure_pbx_data(env)`` makes, once:

* a PBX "Bench PBX" (country Poland, a fixed token) with 20 extensions
  ``101``..``120`` answered by a bench agent, and the company's country set
  to Poland (numbers without a country are Polish);
* 200,000 companies and 800,000 persons (half of them employees of one of
  the companies), 85% with Polish numbers, 5% each with British, German and
  American ones; 85% have a phone, 60% a mobile, every one at least one
  number, and no two contacts share a number. Each number is written in one
  of the ways of ``STYLES`` (``+48 22 123 45 67``, ``022 123 45 67``,
  ``(022) 123-45-67``, ``22.123.45.67 wew. 12``, ``+44 (0)20 7946 0018``,
  ``030/12345678``, ``(212) 555-0123 x12``, ...): national forms only where
  the contact's country (or, without one, the company's) is the number's;
* ``phone_e164`` and ``mobile_e164`` computed from the written numbers by
  the addon's own normalizer (``crm_parties.tools.phone``), in two worker
  processes, exactly as ``res.partner._compute_phone_e164`` would;
* the truth, in a table of its own ``bench_pbx_number`` (partner, field,
  the number's real E.164 form, how it was written), to pick callers from
  and to check every answer against.

Contacts are written with ``COPY`` after dropping the secondary indexes of
``res_partner`` (recreated afterwards from their saved definitions): with
the trigram indexes in place the load is several times slower.

If the normalizer changed since the data was made (its source's hash is
kept in ``ir_config_parameter``), the two E.164 columns are computed again
and updated (``UPDATE ... FROM`` a temporary table), so the benchmark
always measures the current normalizer on the stored numbers.
"""

import hashlib
import importlib
import io
import multiprocessing
import random
import time
from pathlib import Path

import phonenumbers

from odoo import fields
from odoo.tools import SQL

CONTACTS = 1_000_000
COMPANIES = 200_000
PBX_NAME = "Bench PBX"
PBX_TOKEN = "bench-pbx-token-0123456789abcdefghijklmnopqrstuv"
EXTENSIONS = [str(n) for n in range(101, 121)]
NAME_PREFIX = "Bench Caller"
HASH_PARAMETER = "bench_pbx.normalizer_sha256"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# Share of contacts per number's country, and the contact's own country set.
COUNTRIES = [("PL", 0.85), ("GB", 0.05), ("DE", 0.05), ("US", 0.05)]
COUNTRY_SET = 0.7  # contacts whose country_id is filled (else: the company's)

PL_AREAS = ["12", "13", "14", "15", "16", "17", "18", "22", "23", "24", "25",
            "29", "32", "33", "34", "41", "42", "43", "44", "46", "48", "52",
            "54", "55", "56", "58", "59", "61", "62", "63", "65", "67", "68",
            "71", "74", "75", "76", "77", "81", "82", "83", "84", "85", "86",
            "87", "89", "91", "94", "95"]  # fmt: skip
PL_MOBILES = ["45", "50", "51", "53", "57", "60", "66", "69", "72", "73",
              "78", "79", "88"]  # fmt: skip
US_AREAS = ["212", "213", "305", "312", "404", "415", "617", "646", "702",
            "713", "206", "202"]  # fmt: skip


# ----------------------------------------------------------------------
# Numbers and the ways they are written
# ----------------------------------------------------------------------


def _digits(rng, count):
    return f"{rng.randrange(10**count):0{count}d}"


def random_number(rng, country, mobile):
    """A valid national significant number of ``country``, as digits."""
    if country == "PL":
        if mobile:
            return rng.choice(PL_MOBILES) + _digits(rng, 7)
        return rng.choice(PL_AREAS) + rng.choice("23456789") + _digits(rng, 6)
    while True:
        if country == "GB":
            if mobile:
                nsn = "7" + rng.choice("3456789") + _digits(rng, 8)
            elif rng.random() < 0.5:
                nsn = "20" + rng.choice("378") + _digits(rng, 7)
            else:
                area = rng.choice(["161", "121", "131", "113", "117"])
                nsn = area + rng.choice("2345678") + _digits(rng, 6)
        elif country == "DE":
            nsn = (
                rng.choice(["151", "152", "160", "170", "171", "172", "176"])
                + _digits(rng, 8)
                if mobile
                else rng.choice(["30", "40", "89", "69", "221"])
                + rng.choice("2345678")
                + _digits(rng, 7)
            )
        else:
            nsn = rng.choice(US_AREAS) + rng.choice("23456789") + _digits(rng, 6)
        parsed = phonenumbers.parse(f"+{phonenumbers.country_code_for_region(country)}"
                                    f"{nsn}")  # fmt: skip
        if phonenumbers.is_valid_number(parsed):
            return nsn


def _pl_groups(nsn):
    if nsn[:2] in PL_MOBILES:
        return [nsn[:3], nsn[3:6], nsn[6:]]
    return [nsn[:2], nsn[2:5], nsn[5:7], nsn[7:]]


def _groups(country, nsn):
    """The national number in the groups it is usually written in."""
    if country == "PL":
        return _pl_groups(nsn)
    code = phonenumbers.country_code_for_region(country)
    parsed = phonenumbers.parse(f"+{code}{nsn}")
    text = phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return text.split(" ", 1)[1].replace("-", " ").split(" ")


def write_number(country, nsn, style, rng):
    """``nsn`` of ``country`` written in ``style`` (see ``STYLES``)."""
    code = str(phonenumbers.country_code_for_region(country))
    groups = _groups(country, nsn)
    spaced = " ".join(groups)
    if style in NATIONAL_STYLES:
        return _national_form(country, nsn, groups, style, rng)
    forms = {
        "e164": lambda: f"+{code}{nsn}",
        "intl": lambda: f"+{code} {spaced}",
        "intl_dash": lambda: f"+{code}-{'-'.join(groups)}",
        # +48 (22) 123-45-67, +1 (212) 555-0123
        "intl_paren": lambda: f"+{code} ({groups[0]}) {'-'.join(groups[1:])}",
        "intl_zero": lambda: f"+{code} (0){spaced}",  # +44 (0)20 7946 0018
        "intl_trunk": lambda: f"+{code} 0{spaced}",  # +48 022 123 45 67
        "intl_ext": lambda: f"+{code} {spaced} "
        f"{rng.choice(['ext. ', 'wew. ', 'x', '#'])}{rng.randint(1, 999)}",
        "00": lambda: f"00{code} {spaced}",
        "00_compact": lambda: f"00{code}{nsn}",
        "cc_no_plus": lambda: f"{code} {spaced}",
    }
    return forms[style]()


def _national_form(country, nsn, groups, style, rng):
    trunk = {"PL": "", "US": "1"}.get(country, "0")
    spaced = " ".join(groups)
    if style == "nat" and country == "US":
        return f"({groups[0]}) {groups[1]}-{groups[2]}"
    if style == "nat_trunk":  # a legacy trunk 0: 022 123 45 67, (022) 123-45-67
        if rng.random() < 0.5:
            return f"0{spaced}"
        return f"(0{groups[0]}) {'-'.join(groups[1:])}"
    if style == "nat_ext":
        words = ["wew. ", "wewn. ", "w. "] if country == "PL" else ["ext. ", "x"]
        return f"{trunk}{spaced} {rng.choice(words)}{rng.randint(1, 999)}"
    forms = {
        "nat": spaced,
        "nat_digits": nsn,
        "nat_dash": "-".join(groups),
        "nat_dots": ".".join(groups),
        "nat_slash": f"{groups[0]}/{' '.join(groups[1:])}",  # 030/12345678
    }
    return trunk + forms[style]


# (style, weight) for a number written by a person of the number's country,
# and the international ones only otherwise
NATIONAL_STYLES = {"nat", "nat_digits", "nat_dash", "nat_dots", "nat_slash",
                   "nat_trunk", "nat_ext"}  # fmt: skip
STYLES = {
    "PL": [("e164", 8), ("intl", 14), ("intl_dash", 2), ("intl_paren", 4),
           ("intl_trunk", 1), ("intl_ext", 1), ("00", 5), ("00_compact", 2),
           ("cc_no_plus", 2), ("nat", 20), ("nat_digits", 12), ("nat_dash", 8),
           ("nat_dots", 2), ("nat_slash", 2), ("nat_trunk", 6), ("nat_ext", 3)],
    "GB": [("e164", 10), ("intl", 20), ("intl_zero", 12), ("intl_dash", 3),
           ("intl_ext", 2), ("00", 6), ("00_compact", 2), ("nat", 25),
           ("nat_digits", 10), ("nat_ext", 3)],
    "DE": [("e164", 10), ("intl", 20), ("intl_zero", 10), ("intl_dash", 3),
           ("00", 8), ("00_compact", 2), ("nat", 15), ("nat_digits", 8),
           ("nat_slash", 15), ("nat_dash", 3), ("nat_ext", 2)],
    "US": [("e164", 10), ("intl", 15), ("intl_paren", 10), ("intl_dash", 10),
           ("intl_ext", 2), ("00", 4), ("nat", 20), ("nat_digits", 8),
           ("nat_dash", 8), ("nat_dots", 8), ("nat_ext", 5)],
}  # fmt: skip


def pick_style(rng, country, national, exclude=None):
    """A style for a number of ``country``; national ones only if allowed."""
    choices = [
        (style, weight)
        for style, weight in STYLES[country]
        if (national or style not in NATIONAL_STYLES) and style != exclude
    ]
    styles, weights = zip(*choices, strict=True)
    return rng.choices(styles, weights)[0]


def e164(country, nsn):
    return f"+{phonenumbers.country_code_for_region(country)}{nsn}"


def national_number(country, number):
    """The national significant number of ``number`` (E.164) of ``country``."""
    return number[1 + len(str(phonenumbers.country_code_for_region(country))) :]


def phone_tools():
    """The addon's normalizer module (importable once Odoo's config is read)."""
    return importlib.import_module("odoo.addons.crm_parties.tools.phone")


def normalize_phone(number, country_code):
    return phone_tools().normalize_phone(number, country_code)


def normalizer_hash():
    return hashlib.sha256(Path(phone_tools().__file__).read_bytes()).hexdigest()


def _normalize_chunk(rows):
    return [normalize_phone(number, country) for number, country in rows]


def normalize_all(rows, log, processes=2):
    """``normalize_phone`` of each (written number, country) in 2 processes."""
    start = time.perf_counter()
    size = 20_000
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = [e for chunk in pool.imap(_normalize_chunk, chunks) for e in chunk]
    log(f"  normalized {len(rows)} numbers in {time.perf_counter() - start:.1f} s")
    return results


def _draw_number(rng, country, mobile, effective):
    """(national number, style, written form, E.164 by the normalizer)."""
    nsn = random_number(rng, country, mobile)
    style = pick_style(rng, country, national=country == effective)
    written = write_number(country, nsn, style, rng)
    return nsn, style, written, normalize_phone(written, effective)


def _draw_contacts(bounds):
    """Contacts ``start``..``stop - 1``: (contacts, numbers), see make_contacts."""
    start, stop = bounds
    rng = random.Random(start)
    contacts, numbers = [], []
    countries, weights = zip(*COUNTRIES, strict=True)
    for index in range(start, stop):
        is_company = index < COMPANIES
        country = rng.choices(countries, weights)[0]
        country_set = rng.random() < COUNTRY_SET or (
            country != "PL" and rng.random() < 0.7
        )
        own_country = country if country_set else None
        # a number is normalized with the contact's country, else the company's
        effective = own_country or "PL"
        parent = None
        if not is_company and rng.random() < 0.5:
            parent = rng.randrange(COMPANIES)
        contacts.append((index, is_company, own_country, parent))
        has_phone = rng.random() < 0.85
        has_mobile = rng.random() < 0.6 or not has_phone
        for field, wanted, mobile in (("phone", has_phone, rng.random() < 0.15),
                                      ("mobile", has_mobile, True)):  # fmt: skip
            if wanted:
                drawn = _draw_number(rng, country, mobile, effective)
                numbers.append((index, field, country, *drawn, effective))
    return contacts, numbers


def make_contacts(log, processes=2):
    """The contacts (index, is_company, country or None, parent index or
    None) and their numbers (index, field, country, national number, style,
    written form, E.164 by the normalizer, country it is normalized with),
    drawn in ``processes`` processes; no two numbers alike."""
    start = time.perf_counter()
    size = 25_000
    bounds = [(i, min(i + size, CONTACTS)) for i in range(0, CONTACTS, size)]
    contacts, numbers = [], []
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for chunk_contacts, chunk_numbers in pool.imap(_draw_contacts, bounds):
            contacts += chunk_contacts
            numbers += chunk_numbers
    # the chunks drew independently: draw again the few numbers seen twice
    rng = random.Random(CONTACTS)
    used, redrawn = set(), 0
    for position, number in enumerate(numbers):
        index, field, country, nsn, *_rest, effective = number
        while (country, nsn) in used:
            mobile = field == "mobile" or nsn[:2] in PL_MOBILES
            drawn = _draw_number(rng, country, mobile, effective)
            nsn = drawn[0]
            numbers[position] = (index, field, country, *drawn, effective)
            redrawn += 1
        used.add((country, nsn))
    log(f"  {len(contacts)} contacts, {len(numbers)} numbers ({redrawn} drawn "
        f"again) in {time.perf_counter() - start:.1f} s")  # fmt: skip
    return contacts, numbers, used


# ----------------------------------------------------------------------
# The database
# ----------------------------------------------------------------------


def ensure_pbx_data(env, log=print):
    """Make the data if missing; return a dict describing it.

    Keys: ``pbx`` (crm.pbx), ``contacts``, ``made``, ``renormalized``.
    """
    env = env(context=QUIET)
    pbx = _ensure_setup(env)
    cr = env.cr
    cr.execute("SELECT to_regclass('bench_pbx_number') IS NOT NULL")
    exists = cr.fetchone()[0]
    count = 0
    if exists:
        cr.execute("SELECT count(DISTINCT partner_id) FROM bench_pbx_number")
        count = cr.fetchone()[0]
    info = {"pbx": pbx, "contacts": count, "made": False, "renormalized": False}
    if count >= CONTACTS:
        stored = env["ir.config_parameter"].get_param(HASH_PARAMETER)
        if stored != normalizer_hash():
            _renormalize(env, log)
            info["renormalized"] = True
        return info
    if count:
        raise RuntimeError(f"{count} bench contacts found, expected 0 or {CONTACTS}")
    _insert_all(env, log)
    info.update(contacts=CONTACTS, made=True)
    return info


def _ensure_setup(env):
    poland = env.ref("base.pl")
    if env.company.country_id != poland:
        env.company.country_id = poland
    Pbx = env["crm.pbx"]
    pbx = Pbx.search([("name", "=", PBX_NAME)], limit=1)
    if not pbx:
        agent = env["res.users"].search([("login", "=", "bench_pbx_agent")])
        if not agent:
            agent = env["res.users"].create(
                {
                    "name": "Bench PBX Agent",
                    "login": "bench_pbx_agent",
                    "groups_id": [
                        (4, env.ref("crm_pbx.group_pbx_agent").id),
                        (4, env.ref("sales_team.group_sale_salesman").id),
                    ],
                }
            )
        pbx = Pbx.create(
            {
                "name": PBX_NAME,
                "kind": "other",
                "country_id": poland.id,
                "token": PBX_TOKEN,
                "extension_ids": [
                    (0, 0, {"name": name, "user_id": agent.id}) for name in EXTENSIONS
                ],
            }
        )
    env.cr.commit()
    return pbx


def _secondary_indexes(cr, table):
    cr.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
           AND NOT x.indisunique
        """,
        [table],
    )
    return cr.fetchall()


def _insert_all(env, log):
    cr = env.cr
    start = time.perf_counter()
    contacts, numbers, _used = make_contacts(log)
    written_of = {(n[0], n[1]): n[5] for n in numbers}
    e164_of = {(n[0], n[1]): n[6] for n in numbers}

    countries = env["res.country"].search([("code", "in", ["PL", "GB", "DE", "US"])])
    country_ids = {country.code: country.id for country in countries}
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    base = cr.fetchone()[0]
    lang = "en_US"
    now = fields.Datetime.now().replace(microsecond=0)
    uid = env.uid

    indexes = _secondary_indexes(cr, "res_partner")
    step = time.perf_counter()
    for name, _definition in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    log(f"  dropped {len(indexes)} secondary indexes of res_partner")

    columns = [
        "id", "name", "complete_name", "commercial_company_name",
        "commercial_partner_id",
        "parent_id", "type", "is_company", "active", "lang", "country_id",
        "phone", "mobile", "phone_e164", "mobile_e164", "partner_share",
        "customer_rank", "supplier_rank", "autopost_bills", "company_id",
        "create_uid", "write_uid", "create_date", "write_date",
    ]  # fmt: skip
    columns = [c for c in columns if _has_column(cr, "res_partner", c)]
    buffer = io.StringIO()

    def text(value):
        if value is None:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    for index, is_company, country, parent in contacts:
        partner_id = base + 1 + index
        kind = "Company" if is_company else "Person"
        name = f"{NAME_PREFIX} {kind} {index + 1:07d}"
        parent_id = None
        complete = name
        commercial = partner_id
        company_name = name if is_company else None
        if parent is not None:
            parent_id = base + 1 + parent
            company_name = f"{NAME_PREFIX} Company {parent + 1:07d}"
            complete = f"{company_name}, {name}"
            commercial = parent_id
        row = {
            "id": partner_id,
            "name": name,
            "complete_name": complete,
            "commercial_company_name": company_name,
            "commercial_partner_id": commercial,
            "parent_id": parent_id,
            "type": "contact",
            "is_company": "t" if is_company else "f",
            "active": "t",
            "lang": lang,
            "country_id": country_ids.get(country),
            "phone": written_of.get((index, "phone")),
            "mobile": written_of.get((index, "mobile")),
            "phone_e164": e164_of.get((index, "phone")),
            "mobile_e164": e164_of.get((index, "mobile")),
            "partner_share": "t",
            "customer_rank": 1,
            "supplier_rank": 0,
            "autopost_bills": "ask",
            "company_id": None,
            "create_uid": uid,
            "write_uid": uid,
            "create_date": now,
            "write_date": now,
        }
        buffer.write("\t".join(text(row[c]) for c in columns) + "\n")
    buffer.seek(0)
    # the companies come first: the parents exist when their persons arrive
    cr.copy_from(buffer, "res_partner", columns=columns)
    log(f"  COPY res_partner: {len(contacts)} rows, {time.perf_counter() - step:.1f} s")
    del buffer
    step = time.perf_counter()
    cr.execute("SET maintenance_work_mem = '256MB'")
    for _name, definition in indexes:
        cr.execute(definition)
    log(f"  recreated {len(indexes)} indexes in {time.perf_counter() - step:.1f} s")
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence('res_partner', 'id'), %s)",
            base + CONTACTS,
        )
    )

    step = time.perf_counter()
    cr.execute("""
        CREATE TABLE bench_pbx_number (
            partner_id integer NOT NULL, field varchar NOT NULL,
            country varchar NOT NULL, e164 varchar NOT NULL, style varchar NOT NULL,
            written varchar NOT NULL)
    """)  # fmt: skip
    buffer = io.StringIO()
    for index, field, country, nsn, style, written, *_rest in numbers:
        values = [base + 1 + index, field, country, e164(country, nsn), style, written]
        buffer.write("\t".join(text(v) for v in values) + "\n")
    buffer.seek(0)
    cr.copy_from(buffer, "bench_pbx_number")
    cr.execute("CREATE INDEX ON bench_pbx_number (e164)")
    cr.execute("CREATE INDEX ON bench_pbx_number (partner_id)")
    log(f"  bench_pbx_number: {len(numbers)} rows, {time.perf_counter() - step:.1f} s")
    env["ir.config_parameter"].set_param(HASH_PARAMETER, normalizer_hash())
    cr.commit()
    step = time.perf_counter()
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE bench_pbx_number")
    cr.commit()
    log(f"  ANALYZE {time.perf_counter() - step:.1f} s; data made in "
        f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    env.invalidate_all()


def _has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def _renormalize(env, log):
    """Compute the E.164 columns again with the current normalizer."""
    cr = env.cr
    start = time.perf_counter()
    cr.execute("""
        SELECT n.partner_id, n.field, n.written, COALESCE(c.code, 'PL')
          FROM bench_pbx_number n
          JOIN res_partner p ON p.id = n.partner_id
          LEFT JOIN res_country c ON c.id = p.country_id
    """)  # fmt: skip
    rows = cr.fetchall()
    normalized = normalize_all([(row[2], row[3]) for row in rows], log)
    cr.execute("""
        CREATE TEMP TABLE bench_pbx_e164 (partner_id int, field varchar, e164 varchar)
        ON COMMIT DROP
    """)  # fmt: skip
    buffer = io.StringIO()
    for row, value in zip(rows, normalized, strict=True):
        buffer.write(f"{row[0]}\t{row[1]}\t{value or chr(92) + 'N'}\n")
    buffer.seek(0)
    cr.copy_from(buffer, "bench_pbx_e164")
    cr.execute("CREATE INDEX ON bench_pbx_e164 (partner_id)")
    cr.execute("ANALYZE bench_pbx_e164")
    for field in ("phone", "mobile"):
        cr.execute(
            SQL(
                """
                UPDATE res_partner p SET %(column)s = e.e164
                  FROM bench_pbx_e164 e
                 WHERE e.partner_id = p.id AND e.field = %(field)s
                   AND p.%(column)s IS DISTINCT FROM e.e164
                """,
                column=SQL.identifier(f"{field}_e164"),
                field=field,
            )
        )
        log(f"  {field}_e164: {cr.rowcount} changed")
    env["ir.config_parameter"].set_param(HASH_PARAMETER, normalizer_hash())
    cr.commit()
    log(f"  renormalized in {time.perf_counter() - start:.0f} s")
    env.invalidate_all()
