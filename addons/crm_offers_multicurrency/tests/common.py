from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class OfferCase(TransactionCase):
    """A salesperson, a customer, two products and known exchange rates.

    The company currency is rated 1; "Offer Crown" (OCR, the offers'
    currency), "Test Euro" (TEU, rounding 0.01) and "Test Yen" (TYN,
    rounding 1) get rates on 1 March and 1 April 2026, so a rate date of
    15 March reads the March rates and 15 April the April ones.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls.env.company
        cls.salesman = new_test_user(
            cls.env,
            login="offer_salesman",
            groups="sales_team.group_sale_salesman",
            name="Olga Offer",
            email="olga@example.com",
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="offer_manager",
            groups="sales_team.group_sale_manager",
            name="Marek Manager",
        )
        Currency = cls.env["res.currency"]
        cls.ocr = Currency.create(
            {"name": "OCR", "symbol": "Ȼ", "rounding": 0.01, "full_name": "Offer Crown"}
        )
        cls.teu = Currency.create(
            {"name": "TEU", "symbol": "Ŧ", "rounding": 0.01, "full_name": "Test Euro"}
        )
        cls.tyn = Currency.create(
            {"name": "TYN", "symbol": "ȳ", "rounding": 1.0, "full_name": "Test Yen"}
        )
        Rate = cls.env["res.currency.rate"]
        for currency, march, april in (
            (cls.ocr, 2.0, 2.0),
            (cls.teu, 0.5, 0.4),
            (cls.tyn, 300.0, 310.0),
        ):
            Rate.create(
                [
                    {
                        "currency_id": currency.id,
                        "name": date(2026, 3, 1),
                        "rate": march,
                        "company_id": cls.company.id,
                    },
                    {
                        "currency_id": currency.id,
                        "name": date(2026, 4, 1),
                        "rate": april,
                        "company_id": cls.company.id,
                    },
                ]
            )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Offer Crowns", "currency_id": cls.ocr.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Offer Customer", "is_company": True, "email": "c@example.com"}
        )
        Product = cls.env["product.product"]
        cls.desk = Product.create(
            {"name": "Offer Desk", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.chair = Product.create(
            {"name": "Offer Chair", "list_price": 40.0, "taxes_id": [Command.clear()]}
        )
        cls.service = Product.create(
            {
                "name": "Offer Delivery",
                "list_price": 10.0,
                "type": "service",
                "taxes_id": [Command.clear()],
            }
        )
        cls.tax = cls.env["account.tax"].create(
            {"name": "Offer VAT 23%", "amount": 23.0, "type_tax_use": "sale"}
        )
        cls.profile = cls.env["crm.offer.profile"].create(
            {
                "name": "Test Export",
                "currency_ids": [Command.set([cls.teu.id, cls.tyn.id])],
                "validity_days": 20,
                "show_discount": False,
                "intro": "<p>Our offer</p>",
                "variant_ids": [
                    Command.create({"name": "Basic", "sequence": 1}),
                    Command.create({"name": "Premium", "sequence": 2}),
                ],
            }
        )

    @classmethod
    def _offer(cls, **values):
        """A draft offer in OCR dated 15 March 2026 with the test profile, a
        shared delivery line, 2 desks in Basic and 2 desks + 2 chairs at 10%
        off in Premium."""
        order = (
            cls.env["sale.order"]
            .with_user(values.pop("user", cls.salesman))
            .create(
                {
                    "partner_id": cls.customer.id,
                    "pricelist_id": cls.pricelist.id,
                    "date_order": "2026-03-15 10:00:00",
                    "offer_profile_id": cls.profile.id,
                    **values,
                }
            )
        )
        basic, premium = order.offer_variant_ids
        order.order_line = [
            Command.create({"product_id": cls.service.id, "price_unit": 10.0}),
            Command.create(
                {
                    "product_id": cls.desk.id,
                    "product_uom_qty": 2,
                    "price_unit": 100.0,
                    "offer_variant_id": basic.id,
                }
            ),
            Command.create(
                {
                    "product_id": cls.desk.id,
                    "product_uom_qty": 2,
                    "price_unit": 100.0,
                    "offer_variant_id": premium.id,
                }
            ),
            Command.create(
                {
                    "product_id": cls.chair.id,
                    "product_uom_qty": 2,
                    "price_unit": 40.0,
                    "discount": 10.0,
                    "offer_variant_id": premium.id,
                }
            ),
        ]
        return order
