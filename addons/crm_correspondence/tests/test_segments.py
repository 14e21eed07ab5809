from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import CorrespondenceCase


@tagged("post_install", "-at_install")
class TestMarketingSegments(CorrespondenceCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.tag_vip = cls.env["res.partner.category"].create({"name": "Segment VIP"})
        cls.poland = cls.env.ref("base.pl")
        common = {
            "is_company": True,
            "category_id": [(4, cls.tag_vip.id)],
            "country_id": cls.poland.id,
        }
        cls.happy = Partner.create(
            {"name": "Happy Co", "email": "happy@seg.example.com", **common}
        )
        cls.unhappy = Partner.create(
            {"name": "Unhappy Co", "email": "unhappy@seg.example.com", **common}
        )
        cls.bouncing = Partner.create(
            {
                "name": "Bouncing Co",
                "email": "bounce@seg.example.com",
                "message_bounce": 2,
                **common,
            }
        )
        cls.blacklisted = Partner.create(
            {"name": "Blocked Co", "email": "blocked@seg.example.com", **common}
        )
        cls.env["mail.blacklist"].create({"email": "blocked@seg.example.com"})
        cls.no_email = Partner.create({"name": "Paper Co", **common})
        cls.abroad = Partner.create(
            {
                "name": "Abroad Co",
                "email": "abroad@seg.example.com",
                "is_company": True,
                "category_id": [(4, cls.tag_vip.id)],
                "country_id": cls.env.ref("base.de").id,
            }
        )
        Assessment = cls.env["crm.satisfaction.assessment"]
        Assessment.create({"partner_id": cls.happy.id, "level": 5})
        Assessment.create({"partner_id": cls.unhappy.id, "level": 1})
        Assessment.create({"partner_id": cls.bouncing.id, "level": 5})
        Assessment.create({"partner_id": cls.blacklisted.id, "level": 5})
        cls.segment = cls.env["crm.marketing.segment"].create(
            {
                "name": "Happy Polish VIPs",
                "category_ids": [(4, cls.tag_vip.id)],
                "country_ids": [(4, cls.poland.id)],
                "satisfaction_min": 4,
            }
        )

    def _partners(self, segment):
        return self.env["res.partner"].search(segment._partner_domain())

    def test_segment_picks_partners_by_crm_data(self):
        self.assertEqual(self._partners(self.segment), self.happy)
        self.assertEqual(self.segment.partner_count, 1)
        self.segment.exclude_bounced = False
        self.assertEqual(self._partners(self.segment), self.happy | self.bouncing)
        self.segment.write({"satisfaction_min": 0, "country_ids": [(5,)]})
        self.assertEqual(
            self._partners(self.segment),
            self.happy | self.unhappy | self.bouncing | self.abroad,
            "never the blacklisted one, nor one without e-mail",
        )
        self.segment.extra_domain = "[('name', 'ilike', 'happy')]"
        self.assertEqual(self._partners(self.segment), self.happy | self.unhappy)

    def test_bad_segment_definitions_are_refused(self):
        with self.assertRefused(ValidationError, "not a valid filter"):
            self.segment.extra_domain = "[('no_such_field', '=', 1)]"
        with self.assertRefused(ValidationError, "satisfaction range is inverted"):
            self.segment.write({"satisfaction_min": 5, "satisfaction_max": 2})

    def test_mailing_list_follows_the_segment_and_keeps_opt_outs(self):
        self.segment.satisfaction_min = 0
        self.segment.action_sync_mailing_list()
        mailing_list = self.segment.mailing_list_id
        contacts = mailing_list.contact_ids
        self.assertEqual(
            sorted(contacts.mapped("email_normalized")),
            ["happy@seg.example.com", "unhappy@seg.example.com"],
        )
        self.assertEqual(contacts.crm_partner_id, self.happy | self.unhappy)

        # the unhappy one unsubscribes, then leaves the segment and comes back
        subscription = mailing_list.subscription_ids.filtered(
            lambda sub: sub.contact_id.email_normalized == "unhappy@seg.example.com"
        )
        subscription.opt_out = True
        self.segment.action_sync_mailing_list()
        self.assertTrue(
            subscription.exists() and subscription.opt_out, "not re-subscribed"
        )

        # the happy one leaves the segment: unsubscribed from the list only
        self.happy.category_id = [(5,)]
        self.segment.action_sync_mailing_list()
        self.assertNotIn(
            "happy@seg.example.com", mailing_list.contact_ids.mapped("email_normalized")
        )
        self.assertTrue(
            self.env["mailing.contact"].search(
                [("email_normalized", "=", "happy@seg.example.com")]
            )
        )

        # a newcomer reuses a contact that already exists
        existing = self.env["mailing.contact"].create(
            {"name": "Abroad", "email": "abroad@seg.example.com"}
        )
        self.segment.country_ids = [(5,)]
        self.segment.action_sync_mailing_list()
        self.assertIn(existing, mailing_list.contact_ids)
        self.assertEqual(
            self.env["mailing.contact"].search_count(
                [("email_normalized", "=", "abroad@seg.example.com")]
            ),
            1,
        )

    def test_mailing_by_domain_and_timeline(self):
        action = self.segment.action_new_mailing()
        mailing = (
            self.env["mailing.mailing"]
            .with_context(**action["context"])
            .create({"subject": "Spring offer", "body_html": "<p>Offer</p>"})
        )
        self.assertEqual(mailing.mailing_model_name, "res.partner")
        self.assertEqual(mailing.crm_segment_id, self.segment)
        self.assertEqual(self.segment.mailing_count, 1)
        recipients = self.env["res.partner"].search(mailing._get_recipients_domain())
        self.assertEqual(recipients, self.happy)
        with self.mock_mail_gateway():
            mailing.action_send_mail()
            self.env["mail.mail"].search([("mailing_id", "=", mailing.id)]).send()
        self.assertEqual(len(self._mails), 1)
        trace = self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        self.assertEqual(trace.res_id, self.happy.id)
        self.assertTrue(trace.sent_datetime)
        events = self.env["crm.timeline.event"].search(
            [("commercial_partner_id", "=", self.happy.id), ("kind", "=", "mailing")]
        )
        self.assertEqual(events.mapped("name"), [mailing.subject])
        self.assertEqual(
            (events.res_model, events.res_id), ("mailing.mailing", mailing.id)
        )
