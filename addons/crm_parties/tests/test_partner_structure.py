from odoo.tests import tagged

from .common import CrmPartiesCase


@tagged("post_install", "-at_install")
class TestPartnerStructure(CrmPartiesCase):
    def test_group_root_is_the_top_of_the_tree(self):
        self.assertEqual(self.branch.group_root_id, self.holding)
        self.assertEqual(self.subsidiary.group_root_id, self.holding)
        self.assertEqual(self.holding.group_root_id, self.holding)
        self.assertEqual(self.other.group_root_id, self.other)

    def test_moving_a_subtree_moves_its_root(self):
        self.subsidiary.group_parent_id = self.other
        self.assertEqual(self.branch.group_root_id, self.other)
        self.assertEqual(self.holding.group_member_count, 2)  # holding + retail

    def test_member_count_covers_every_level_below(self):
        self.assertEqual(self.holding.group_member_count, 4)
        self.assertEqual(self.subsidiary.group_member_count, 2)
        self.assertEqual(self.branch.group_member_count, 1)
        self.assertEqual(
            set(self.holding._group_descendant_map()[self.holding.id]),
            {self.holding.id, self.subsidiary.id, self.branch.id, self.retail.id},
        )

    def test_cycle_is_refused_and_nothing_is_written(self):
        with self.assertRefused("cycle"):
            self.holding.group_parent_id = self.branch
        self.assertFalse(self.holding.group_parent_id)
        self.assertEqual(self.branch.group_root_id, self.holding)

    def test_company_as_its_own_parent_is_refused(self):
        with self.assertRefused("cannot be its own parent"):
            self.other.group_parent_id = self.other

    def test_branch_in_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["res.partner"].create(
            {
                "name": "Foreign Branch",
                "is_company": True,
                "company_id": other_company.id,
            }
        )
        with self.assertRefused("of another company"):
            foreign.group_parent_id = self.holding

    def test_group_totals_roll_up_opportunities_and_sales(self):
        self.env["crm.lead"].create(
            [
                {"name": "Deal A", "type": "opportunity", "partner_id": self.branch.id},
                {"name": "Deal B", "type": "opportunity", "partner_id": self.anna.id},
                {"name": "Deal C", "type": "opportunity", "partner_id": self.other.id},
            ]
        )
        for partner, qty in ((self.branch, 2), (self.retail, 3), (self.other, 7)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_uom_qty": qty})
                    ],
                }
            )
            order.action_confirm()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self.holding.group_opportunity_count, 2)
        self.assertEqual(self.subsidiary.group_opportunity_count, 1)
        self.assertAlmostEqual(self.holding.group_sale_amount, 500.0)
        self.assertAlmostEqual(self.subsidiary.group_sale_amount, 200.0)

    def test_group_tree_action_shows_the_whole_group(self):
        action = self.branch.action_open_group_tree()
        members = self.env["res.partner"].search(action["domain"])
        self.assertEqual(
            members, self.holding | self.subsidiary | self.branch | self.retail
        )
        self.assertEqual(action["context"]["hierarchy_res_id"], self.branch.id)
