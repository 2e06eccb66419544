//! The portal's codes in the catalogue `indicators/bo-chi-so-766`'s words: each metric code of
//! the evaluation API and each counted field of the tree endpoints is one sub-indicator id, each
//! group code (and the capture tools' renamings of them) one group id. Catalogue order
//! throughout; a test checks every id and code against the catalogue.

/// The six groups: the portal's code, chitieu's group id, in catalogue order.
pub const GROUPS: [(&str, &str); 6] = [
    ("CKMB", "ckmb"),
    ("TDGQ", "tdgq"),
    ("CLGQ", "clgq"),
    ("TTTT", "tttt"),
    ("MDSH", "mdsh"),
    ("MDHL", "mdhl"),
];

/// Each group's maximum (the catalogue's `points`), for figures published without one.
pub fn group_max(id: &str) -> Option<f64> {
    let points = [18.0, 20.0, 12.0, 10.0, 22.0, 18.0];
    GROUPS.iter().position(|(_, g)| *g == id).map(|k| points[k])
}

/// The group id of a group code as the portal or a capture tool writes it (`ONLINE` is some
/// tools' name for `CLGQ`); `None` for an unknown code.
pub fn group_id(code: &str) -> Option<&'static str> {
    let code = match code {
        "ONLINE" => "CLGQ",
        other => other,
    };
    GROUPS.iter().find(|(c, _)| *c == code).map(|(_, id)| *id)
}

/// Position of a group id in catalogue order.
pub fn group_rank(id: &str) -> usize {
    GROUPS
        .iter()
        .position(|(_, g)| *g == id)
        .unwrap_or(GROUPS.len())
}

/// The sub-indicators in catalogue order: the catalogue's `code` (the portal's metric code, or
/// chitieu's name for a figure of a tree endpoint), its id and its group id.
pub const INDICATORS: [(&str, &str, &str); 21] = [
    ("PUBLISH_ON_TIME", "publish-on-time", "ckmb"),
    ("PUBLIC_UPDATE_ON_TIME", "public-update-on-time", "ckmb"),
    ("PUBLIC_CONTENT_FULL", "public-content-full", "ckmb"),
    ("DOSSIER_SYNC", "dossier-sync", "ckmb"),
    ("TDGQ_ON_TIME", "dossier-on-time", "tdgq"),
    ("CLGQ_GROUP", "online-service", "clgq"),
    ("TTTT_A_DOSSIER_PAYMENT", "payment-dossier", "tttt"),
    ("TTTT_B_FORMALITY_PAYMENT", "payment-formality", "tttt"),
    (
        "TTTT_C_FEE_DOSSIER_FORMALITY",
        "payment-fee-formality",
        "tttt",
    ),
    (
        "ORIGINAL_RESULT_AVAILABLE",
        "original-result-available",
        "mdsh",
    ),
    (
        "SO_HOA_GIAY_TO_GIAI_QUYET",
        "so-hoa-giay-to-giai-quyet",
        "mdsh",
    ),
    ("REUSED_DIGITIZED_DATA", "reused-digitized-data", "mdsh"),
    (
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "synced-with-dvcqg-personal-storage",
        "mdsh",
    ),
    (
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        "citizen-data-connected-dossier",
        "mdsh",
    ),
    (
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        "citizen-data-connected-formality",
        "mdsh",
    ),
    (
        "ELECTRONIC_CERTIFIED_COPY",
        "electronic-certified-copy",
        "mdsh",
    ),
    (
        "DOSSIER_RECEIVING_SATISFACTION",
        "dossier-receiving-satisfaction",
        "mdhl",
    ),
    (
        "PETITION_PROCESSING_ON_TIME",
        "petition-processing-on-time",
        "mdhl",
    ),
    (
        "PETITION_HANDLING_SATISFACTION",
        "petition-handling-satisfaction",
        "mdhl",
    ),
    (
        "PETITION_CLASSIFICATION_TTHC",
        "petition-classification-tthc",
        "mdhl",
    ),
    (
        "PETITION_CLASSIFICATION_STAFF",
        "petition-classification-staff",
        "mdhl",
    ),
];

/// The sub-indicator (id, group id) of a metric code; `None` for a code the catalogue lacks.
pub fn indicator(code: &str) -> Option<(&'static str, &'static str)> {
    INDICATORS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, id, g)| (*id, *g))
}

/// Position of a sub-indicator id in catalogue order.
pub fn indicator_rank(id: &str) -> usize {
    INDICATORS
        .iter()
        .position(|(_, i, _)| *i == id)
        .unwrap_or(INDICATORS.len())
}

#[cfg(test)]
mod tests {
    use super::{GROUPS, INDICATORS};

    /// The table is the catalogue's: same ids, codes, groups, in the same order.
    #[test]
    fn the_codes_are_the_catalogues() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/bo-chi-so-766");
        let loaded = crate::definition::load_catalogue(&dir).unwrap_or_else(|e| panic!("{e}"));
        let c = &loaded.catalogue;
        let ours: Vec<(String, String, String)> = INDICATORS
            .iter()
            .map(|(code, id, g)| (code.to_string(), id.to_string(), g.to_string()))
            .collect();
        let theirs: Vec<(String, String, String)> = c
            .indicators
            .iter()
            .map(|i| {
                (
                    i.code.clone().unwrap_or_default(),
                    i.id.clone(),
                    i.group.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(ours, theirs);
        let groups: Vec<&str> = c.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(groups, GROUPS.map(|(_, id)| id));
        for g in &c.groups {
            assert_eq!(super::group_max(&g.id), g.points, "{}", g.id);
        }
    }
}
