from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class CrmOccasion(models.Model):
    """The next birthday and name day of each person (read-only).

    One row per person and occasion, dated on its next occurrence from
    ``occasion_today`` in the context (default today); 29 February falls on
    the 28th in other years. It feeds the "upcoming" list, the calendar and
    the daily reminder job. The rows depend on that date: within one
    transaction, ``invalidate_model()`` before reading them for another date
    (the ORM cache keeps the values first read).
    """

    _name = "crm.occasion"
    _description = "Birthday or Name Day"
    _auto = False
    _order = "date, partner_id"
    _rec_name = "partner_id"
    _depends = {
        "res.partner": [
            "active",
            "birth_date",
            "company_id",
            "is_company",
            "name_day_id",
            "user_id",
        ],
        "crm.name.day": ["day", "month"],
    }

    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    kind = fields.Selection(
        [("birthday", "Birthday"), ("name_day", "Name day")], readonly=True
    )
    date = fields.Date(readonly=True)
    days_left = fields.Integer(readonly=True)
    age = fields.Integer(string="Turns", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @api.model
    def _today(self):
        return fields.Date.to_date(
            self.env.context.get("occasion_today")
        ) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH occasion AS (
                SELECT partner.id * 2 AS id, partner.id AS partner_id,
                       'birthday' AS kind,
                       EXTRACT(MONTH FROM partner.birth_date)::int AS month,
                       EXTRACT(DAY FROM partner.birth_date)::int AS day,
                       EXTRACT(YEAR FROM partner.birth_date)::int AS born,
                       partner.user_id, partner.company_id
                  FROM res_partner partner
                 WHERE partner.birth_date IS NOT NULL AND partner.active
                   AND NOT partner.is_company
                 UNION ALL
                SELECT partner.id * 2 + 1, partner.id, 'name_day',
                       name_day.month, name_day.day, NULL,
                       partner.user_id, partner.company_id
                  FROM res_partner partner
                  JOIN crm_name_day name_day ON name_day.id = partner.name_day_id
                 WHERE partner.active AND NOT partner.is_company
            ),
            dated AS (
                -- this year's or next year's date; a day the month lacks
                -- (29 February) falls on the month's last day
                SELECT occasion.*, MIN(candidate.date) AS date
                  FROM occasion,
                  LATERAL (
                    SELECT make_date(
                               year, occasion.month,
                               LEAST(occasion.day, EXTRACT(DAY FROM
                                   make_date(year, occasion.month, 1)
                                   + INTERVAL '1 month - 1 day')::int)) AS date
                      FROM (VALUES (%(year)s), (%(year)s + 1)) AS years(year)
                  ) AS candidate
                 WHERE candidate.date >= %(today)s
                 GROUP BY occasion.id, occasion.partner_id, occasion.kind,
                          occasion.month, occasion.day, occasion.born,
                          occasion.user_id, occasion.company_id
            )
            SELECT id, partner_id, kind, date, date - %(today)s AS days_left,
                   CASE WHEN kind = 'birthday'
                        THEN EXTRACT(YEAR FROM date)::int - born END AS age,
                   user_id, company_id
              FROM dated
            """,
            year=self._today().year,
            today=self._today(),
        )

    @api.model
    def _cron_remind(self):
        """Remind each owner of the occasions coming within their company's delay.

        Every occasion between today and the delay is considered, so a day
        the job did not run is caught up; the reminder log makes it once.
        """
        today = self._today()
        delays = {
            company.id: company.crm_occasion_reminder_days
            for company in self.env["res.company"].search([])
        }
        default_delay = self.env.company.crm_occasion_reminder_days
        self.invalidate_model()  # the rows depend on the date
        occasions = self.with_context(occasion_today=today).search_fetch(
            [
                ("date", "<=", today + timedelta(days=max(delays.values()))),
                ("user_id", "!=", False),
            ],
            ["partner_id", "kind", "date", "days_left", "user_id", "company_id"],
        )
        occasions = occasions.filtered(
            lambda o: o.days_left <= delays.get(o.company_id.id, default_delay)
        )
        Reminder = self.env["crm.occasion.reminder"]
        done = {
            (r.partner_id.id, r.kind, r.occasion_date)
            for r in Reminder.search(
                [
                    ("partner_id", "in", occasions.partner_id.ids),
                    ("occasion_date", ">=", today),
                ]
            )
        }
        Reminder.create(
            [
                occasion._reminder_values()
                for occasion in occasions
                if (occasion.partner_id.id, occasion.kind, occasion.date) not in done
            ]
        )

    def _reminder_values(self):
        self.ensure_one()
        labels = dict(self._fields["kind"]._description_selection(self.env))
        activity = self.partner_id.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date,
            summary=self.env._(
                "%(occasion)s of %(name)s",
                occasion=labels[self.kind],
                name=self.partner_id.name,
            ),
            user_id=self.user_id.id,
        )
        return {
            "partner_id": self.partner_id.id,
            "kind": self.kind,
            "occasion_date": self.date,
            "activity_id": activity.id,
        }
