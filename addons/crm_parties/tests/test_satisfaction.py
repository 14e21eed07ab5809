from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmPartiesCase


@tagged("post_install", "-at_install")
class TestSatisfaction(CrmPartiesCase):
    def _assess(self, level, day, partner=None):
        return (
            self.env["crm.satisfaction.assessment"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": (partner or self.holding).id,
                    "level": level,
                    "date": day,
                    "channel": "phone",
                    "comment": f"level {level}",
                }
            )
        )

    def _alerts(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.holding).id),
            ]
        )

    def test_current_level_and_trend_follow_the_latest_assessments(self):
        self._assess(3, date(2026, 1, 10))
        self.assertEqual(self.holding.satisfaction_level, 3)
        self.assertFalse(self.holding.satisfaction_trend)
        self._assess(4, date(2026, 3, 10))
        self.assertEqual(
            (self.holding.satisfaction_level, self.holding.satisfaction_trend),
            (4, "up"),
        )
        # an older assessment entered late does not become the current level
        self._assess(1, date(2025, 12, 1))
        self.assertEqual(self.holding.satisfaction_level, 4)
        self._assess(4, date(2026, 4, 1))
        self.assertEqual(self.holding.satisfaction_trend, "stable")
        self.assertEqual(self.holding.satisfaction_date, date(2026, 4, 1))

    def test_level_is_searchable_and_groupable(self):
        self._assess(2, date(2026, 2, 1))
        self._assess(5, date(2026, 2, 1), partner=self.other)
        low = self.env["res.partner"].search(
            [("satisfaction_level", ">", 0), ("satisfaction_level", "<=", 2)]
        )
        self.assertIn(self.holding, low)
        self.assertNotIn(self.other, low)
        groups = dict(
            self.env["res.partner"]._read_group(
                [("id", "in", (self.holding | self.other).ids)],
                ["satisfaction_level"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {2: 1, 5: 1})

    def test_level_outside_the_scale_is_refused(self):
        for level in (0, 6):
            with self.assertRefused("between 1 and 5, not"):
                self._assess(level, date(2026, 1, 1))
        self.assertFalse(self.holding.satisfaction_assessment_ids)

    def test_drop_of_two_levels_alerts_the_account_owner(self):
        self._assess(5, date(2026, 1, 1))
        self.assertFalse(self._alerts())
        self._assess(3, date(2026, 2, 1))
        alert = self._alerts()
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.salesman)
        self.assertEqual(alert.summary, "Satisfaction dropped from 5 to 3")

    def test_small_drop_above_threshold_does_not_alert(self):
        self._assess(5, date(2026, 1, 1))
        self._assess(4, date(2026, 2, 1))
        self._assess(3, date(2026, 3, 1))
        self.assertFalse(self._alerts())

    def test_level_at_threshold_alerts_with_configurable_threshold(self):
        self._assess(3, date(2026, 1, 1))
        self.assertFalse(self._alerts())
        self.company.crm_satisfaction_alert_threshold = 3
        self._assess(3, date(2026, 2, 1))
        self.assertEqual(self._alerts().summary, "Satisfaction is low: 3")

    def test_salesman_cannot_change_someone_elses_assessment(self):
        theirs = self.env["crm.satisfaction.assessment"].create(
            {"partner_id": self.other.id, "level": 4, "user_id": self.sales_manager.id}
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).write({"level": 5})
        mine = self._assess(4, date(2026, 1, 1), partner=self.other)
        mine.write({"level": 5})
        self.assertEqual(mine.level, 5)

    def test_invalid_alert_threshold_is_refused(self):
        settings = self.env["res.config.settings"].create({})
        with self.assertRefused("alert threshold"):
            settings.crm_satisfaction_alert_threshold = 9
