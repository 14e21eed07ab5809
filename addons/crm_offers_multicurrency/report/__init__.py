from . import crm_offer_analysis
