{
    "name": "CRM Offers in Variants and Currencies",
    "summary": "One quotation in several variants, its totals in several "
    "currencies at a frozen rate, printed on one template, preset by offer "
    "profiles",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite Contributors",
    "website": "https://github.com/crm-suite/odoo-crm-suite",
    "depends": ["crm_parties", "sale_crm", "sale_management", "portal"],
    "external_dependencies": {"python": ["num2words"]},
    "data": [
        "security/ir.model.access.csv",
        "security/crm_offers_multicurrency_security.xml",
        "data/ir_cron_data.xml",
        "report/crm_offer_report.xml",
        "report/crm_offer_report_templates.xml",
        "data/mail_template_data.xml",
        "views/crm_offer_profile_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_timeline_event_views.xml",
        "views/sale_portal_templates.xml",
        "report/crm_offer_analysis_views.xml",
        "views/crm_offers_multicurrency_menus.xml",
    ],
    "demo": ["demo/crm_offers_multicurrency_demo.xml"],
    "assets": {
        "web.assets_tests": ["crm_offers_multicurrency/static/tests/tours/*.js"],
    },
    "installable": True,
}
