extension HTML {
    /// What the offline queue holds for this page's forms (issue 21): filled by capture.js, hidden
    /// without it (the forms then post as pages). The words come with the page, in its language,
    /// so they read the same offline.
    public mutating func captureStatus(_ t: Strings) {
        markup("<div class=\"sync\" id=\"sync\" role=\"status\" hidden")
        attribute("data-waiting", t("capture_waiting"))
        attribute("data-none", t("capture_none"))
        attribute("data-last", t("capture_last"))
        attribute("data-offline", t("capture_offline"))
        attribute("data-saved", t("capture_saved"))
        attribute("data-sign-in", t("capture_sign_in"))
        attribute("data-open", t("capture_open"))
        attribute("data-discard", t("capture_discard"))
        attribute("data-record", t("capture_record"))
        attribute("data-other", t("capture_other_account"))
        attribute("data-made", t("capture_made"))
        attribute("data-send-anyway", t("capture_send_anyway"))
        markup("></div>\n")
    }

    /// Marks a form for the offline queue: `label` names its entries in the queue's list.
    public mutating func captureForm(_ label: String) {
        attribute("data-capture", label)
    }
}
