import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { renderToMarkup } from "@web/core/utils/render";

/**
 * The caller's card, in a sticky notification, for the agent whose
 * extension rings: the server sends ``crm_pbx/ringing`` to the agent's
 * partner with ``crm.pbx.call._caller_card()`` as payload.
 */
export const crmPbxRingingService = {
    dependencies: ["action", "bus_service", "notification"],

    start(env, { action, bus_service: busService, notification }) {
        // call id -> close function: a call ringing again replaces its card
        const openCards = new Map();

        function openCard(card) {
            if (card.partner_id) {
                return action.doAction({
                    type: "ir.actions.act_window",
                    res_model: "res.partner",
                    res_id: card.partner_id,
                    views: [[false, "form"]],
                });
            }
            return openCall(card);
        }

        function openCall(card) {
            return action.doAction({
                type: "ir.actions.act_window",
                res_model: "crm.pbx.call",
                res_id: card.call_id,
                views: [[false, "form"]],
            });
        }

        function logNote(card) {
            return action.doAction({
                type: "ir.actions.act_window",
                name: _t("Log a note"),
                res_model: "crm.pbx.call",
                res_id: card.call_id,
                views: [[false, "form"]],
                target: "new",
                context: { form_view_ref: "crm_pbx.crm_pbx_call_view_form_note" },
            });
        }

        function showCard(card) {
            openCards.get(card.call_id)?.();
            const close = notification.add(
                renderToMarkup("crm_pbx.CallerCard", { card }),
                {
                    title: _t("Incoming call"),
                    type: "info",
                    sticky: true,
                    className: "o_crm_pbx_ringing",
                    onClose: () => openCards.delete(card.call_id),
                    buttons: [
                        {
                            name: card.partner_id ? _t("Open card") : _t("Open call"),
                            icon: card.partner_id ? "fa-address-card-o" : "fa-phone",
                            primary: true,
                            onClick: () => {
                                close();
                                openCard(card);
                            },
                        },
                        {
                            name: _t("Log a note"),
                            icon: "fa-pencil",
                            onClick: () => logNote(card),
                        },
                    ],
                }
            );
            openCards.set(card.call_id, close);
        }

        busService.subscribe("crm_pbx/ringing", showCard);
        busService.start();
        return { showCard };
    },
};

registry.category("services").add("crm_pbx_ringing", crmPbxRingingService);
