from datetime import date

from odoo.tests import tagged

from .common import CrmContactsCase


@tagged("post_install", "-at_install")
class TestEmployment(CrmContactsCase):
    def _job(self, employer, start, end=False, primary=True, **values):
        return self.env["crm.employment"].create(
            {
                "person_id": self.anna.id,
                "employer_id": employer.id,
                "date_from": start,
                "date_to": end,
                "is_primary": primary,
                **values,
            }
        )

    def test_primary_current_job_is_the_works_at_company(self):
        old = self._job(self.globex, "2015-01-01", "2019-12-31", job_title="Clerk")
        self.assertFalse(self.anna.parent_id)
        self._job(self.acme, "2020-01-01", job_title="Buyer")
        self.assertEqual(self.anna.parent_id, self.acme)
        self.assertEqual(self.anna.function, "Buyer")
        self.assertEqual(self.acme.staff_employment_ids.person_id, self.anna)
        self.assertFalse(old.is_current)
        self.assertEqual(
            self.env["crm.employment"].search(
                [("employer_id", "=", self.globex.id), ("is_current", "=", False)]
            ),
            old,
        )

    def test_ending_the_job_clears_the_parent(self):
        job = self._job(self.acme, "2020-01-01")
        self.assertEqual(self.anna.parent_id, self.acme)
        job.date_to = date(2021, 6, 30)
        self.assertFalse(self.anna.parent_id)

    def test_a_second_non_primary_job_keeps_the_parent(self):
        self._job(self.acme, "2020-01-01")
        self._job(self.globex, "2022-01-01", primary=False)
        self.assertEqual(self.anna.parent_id, self.acme)

    def test_end_before_start_is_refused(self):
        with self.assertRefused("ends .* before it starts"):
            self._job(self.acme, "2020-01-01", "2019-01-01")
        self.assertFalse(self.anna.employment_ids)

    def test_overlapping_primary_jobs_are_refused(self):
        self._job(self.acme, "2020-01-01", "2022-12-31")
        with self.assertRefused("two primary employers"):
            self._job(self.globex, "2022-06-01")
        self._job(self.globex, "2023-01-01")
        self.assertEqual(self.anna.parent_id, self.globex)
