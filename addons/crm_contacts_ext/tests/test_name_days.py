from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CrmContactsCase


@tagged("post_install", "-at_install")
class TestNameDaysAndReminders(CrmContactsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.crm_occasion_reminder_days = 3

    def test_name_with_one_day_and_with_several(self):
        NameDay = self.env["crm.name.day"]
        self.assertTrue(NameDay._for_first_name("Anna"))
        self.assertGreater(len(NameDay._for_first_name("Jan")), 1)
        self.assertFalse(NameDay._for_first_name("Xyzzy"))
        jan = self.env["res.partner"].create({"name": "Jan Nowak"})
        self.assertEqual(jan.name_day_id.name, "Jan")
        chosen = NameDay._for_first_name("jan")[-1]
        jan.name_day_id = chosen
        jan.name = "Jan Nowak-Kowalski"  # same first name: the choice stays
        self.assertEqual(jan.name_day_id, chosen)
        jan.name = "Piotr Nowak"
        self.assertEqual(jan.name_day_id.name, "Piotr")

    def _occasions(self, today, partner):
        # the rows depend on the date: drop those read for another date
        self.env["crm.occasion"].invalidate_model()
        return (
            self.env["crm.occasion"]
            .with_context(occasion_today=today)
            .search_fetch(
                [("partner_id", "=", partner.id)], ["kind", "date", "days_left", "age"]
            )
        )

    def test_next_occasions_and_leap_day(self):
        self.anna.birth_date = date(1992, 2, 29)
        birthday = self._occasions("2026-02-20", self.anna).filtered(
            lambda o: o.kind == "birthday"
        )
        self.assertEqual(
            (birthday.date, birthday.days_left, birthday.age),
            (date(2026, 2, 28), 8, 34),
        )
        birthday = self._occasions("2027-12-30", self.anna).filtered(
            lambda o: o.kind == "birthday"
        )
        self.assertEqual(birthday.date, date(2028, 2, 29))
        name_day = self._occasions("2026-07-20", self.anna).filtered(
            lambda o: o.kind == "name_day"
        )
        self.assertEqual(name_day.date.year, 2026)
        self.assertGreaterEqual(name_day.days_left, 0)

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.anna.id)]
        )

    def test_reminder_once_even_when_the_job_runs_twice(self):
        self.anna.birth_date = date(1990, 6, 10)
        self.anna.name_day_id = False
        Occasion = self.env["crm.occasion"]
        with freeze_time("2026-06-06"):
            Occasion._cron_remind()
            self.assertFalse(self._activities())  # 4 days before: not yet
        with freeze_time("2026-06-07"):
            Occasion._cron_remind()
            Occasion._cron_remind()
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.owner)
        self.assertEqual(activity.date_deadline, date(2026, 6, 10))
        self.assertEqual(activity.summary, "Birthday of Anna Kowalska")

    def test_a_missed_day_is_caught_up(self):
        self.anna.birth_date = date(1990, 6, 10)
        self.anna.name_day_id = False
        with freeze_time("2026-06-09"):  # the job did not run on the 7th and 8th
            self.env["crm.occasion"]._cron_remind()
        self.assertEqual(len(self._activities()), 1)
        with freeze_time("2026-06-11"):  # past the birthday: nothing new
            self.env["crm.occasion"]._cron_remind()
        self.assertEqual(len(self._activities()), 1)

    def test_contacts_without_owner_are_not_reminded(self):
        self.anna.write({"birth_date": date(1990, 6, 10), "user_id": False})
        with freeze_time("2026-06-08"):
            self.env["crm.occasion"]._cron_remind()
        self.assertFalse(self._activities())
