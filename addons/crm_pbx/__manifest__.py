{
    "name": "CRM Telephony (PBX)",
    "summary": "PBX integration: call events and caller lookup APIs, live calls "
    "board with caller pop-up, call history, missed-call activities, "
    "click-to-dial, Asterisk AMI bridge",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Suite Contributors",
    "website": "https://github.com/crm-suite/odoo-crm-suite",
    "depends": ["crm_parties", "bus"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "security/crm_pbx_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_pbx_security.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_pbx_views.xml",
        "views/crm_pbx_call_views.xml",
        "views/res_partner_views.xml",
        "views/crm_pbx_menus.xml",
    ],
    "demo": ["demo/crm_pbx_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "crm_pbx/static/src/**/*",
        ],
        "web.assets_tests": ["crm_pbx/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
