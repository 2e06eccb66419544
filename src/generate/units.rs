//! The units of the Lào Cai data set: the province, its departments (taken from the bodies that
//! lead tasks or track indicators in the catalogue) and its 99 communes and wards, each with the
//! few quantities (population, schools, officials) that the other files are drawn from.

use super::rng::Rng;
use chitieu::definition::Catalogue;
use chitieu::text::fold;

pub const PROVINCE_ID: &str = "lao-cai";
pub const PROVINCE_NAME: &str = "UBND tỉnh Lào Cai";

/// What a unit is, with the quantities the generators need.
#[derive(Debug, Clone)]
pub enum Kind {
    Province,
    /// A department (sở, ngành); `weight` is its share of dossiers relative to the others.
    Department {
        weight: f64,
        officials: u32,
    },
    Commune(Commune),
}

#[derive(Debug, Clone)]
pub struct Commune {
    pub ward: bool,
    pub population: u32,
    pub schools: u32,
    pub hospitals: u32,
    pub officials: u32,
    /// General digital readiness, roughly standard normal: some communes are ahead on
    /// everything, some behind.
    pub readiness: f64,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub level: &'static str,
    pub kind: Kind,
}

impl Unit {
    pub fn commune(&self) -> Option<&Commune> {
        match &self.kind {
            Kind::Commune(c) => Some(c),
            _ => None,
        }
    }
}

/// Departments known to the generator: id, a usual name, and relative dossier volume. A body of
/// the catalogue is matched by its [`body_key`], so "Sở Khoa học Công nghệ" and "Sở Khoa học và
/// Công nghệ" are one department; its name in units.csv is the catalogue's own spelling.
const DEPARTMENTS: &[(&str, &str, f64)] = &[
    ("van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", 0.3),
    ("cong-an-tinh", "Công an tỉnh", 9.0),
    ("so-tu-phap", "Sở Tư pháp", 6.0),
    ("so-noi-vu", "Sở Nội vụ", 2.0),
    ("so-tai-chinh", "Sở Tài chính", 5.0),
    ("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ", 1.2),
    ("so-xay-dung", "Sở Xây dựng", 4.0),
    ("so-cong-thuong", "Sở Công Thương", 3.0),
    ("so-y-te", "Sở Y tế", 3.0),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", 2.0),
    ("thanh-tra-tinh", "Thanh tra tỉnh", 0.2),
    ("cuc-thue-tinh", "Cục Thuế tỉnh", 2.0),
    (
        "nhnn-khu-vuc-iv",
        "Ngân hàng Nhà nước Việt Nam chi nhánh Khu vực IV",
        0.1,
    ),
];

/// The 10 wards and 89 communes of Lào Cai after the 2025 reorganisation (names as the
/// generator knows them; the set is plausible, not an official list).
const WARDS: &[&str] = &[
    "Lào Cai",
    "Cam Đường",
    "Sa Pa",
    "Yên Bái",
    "Văn Phú",
    "Nam Cường",
    "Âu Lâu",
    "Nghĩa Lộ",
    "Trung Tâm",
    "Cầu Thia",
];

const COMMUNES: &[&str] = &[
    // Bát Xát, Mường Khương, Si Ma Cai, Bắc Hà
    "Bát Xát",
    "Mường Hum",
    "Dền Sáng",
    "Y Tý",
    "A Mú Sung",
    "Trịnh Tường",
    "Bản Xèo",
    "Cốc San",
    "Mường Khương",
    "Cao Sơn",
    "Bản Lầu",
    "Pha Long",
    "Si Ma Cai",
    "Sín Chéng",
    "Bắc Hà",
    "Tả Củ Tỷ",
    "Lùng Phình",
    "Bản Liền",
    "Bảo Nhai",
    "Cốc Lầu",
    // Bảo Thắng, Bảo Yên, Văn Bàn, Sa Pa
    "Bảo Thắng",
    "Tằng Loỏng",
    "Gia Phú",
    "Xuân Quang",
    "Phong Hải",
    "Hợp Thành",
    "Bảo Yên",
    "Nghĩa Đô",
    "Thượng Hà",
    "Xuân Hòa",
    "Phúc Khánh",
    "Bảo Hà",
    "Văn Bàn",
    "Khánh Yên",
    "Võ Lao",
    "Dương Quỳ",
    "Chiềng Ken",
    "Minh Lương",
    "Nậm Chày",
    "Tả Phìn",
    "Tả Van",
    "Mường Bo",
    "Bản Hồ",
    "Ngũ Chỉ Sơn",
    // Lục Yên, Yên Bình, Trấn Yên
    "Lục Yên",
    "Tân Lĩnh",
    "Khánh Hòa",
    "Mường Lai",
    "Lâm Thượng",
    "Phúc Lợi",
    "Yên Bình",
    "Thác Bà",
    "Cảm Nhân",
    "Yên Thành",
    "Bảo Ái",
    "Trấn Yên",
    "Hưng Khánh",
    "Lương Thịnh",
    "Việt Hồng",
    "Quy Mông",
    // Văn Yên, Văn Chấn
    "Mậu A",
    "Đông Cuông",
    "Lâm Giang",
    "Châu Quế",
    "Xuân Ái",
    "Mỏ Vàng",
    "Phong Dụ Hạ",
    "Phong Dụ Thượng",
    "Tân Hợp",
    "Văn Chấn",
    "Sơn Lương",
    "Thượng Bằng La",
    "Chấn Thịnh",
    "Gia Hội",
    "Cát Thịnh",
    "Nghĩa Tâm",
    "Tú Lệ",
    "Liên Sơn",
    "Sơn Thịnh",
    // Mù Cang Chải, Trạm Tấu
    "Mù Cang Chải",
    "Khao Mang",
    "Lao Chải",
    "Chế Tạo",
    "Púng Luông",
    "Nậm Có",
    "Trạm Tấu",
    "Hạnh Phúc",
    "Phình Hồ",
    "Tà Xi Láng",
];

/// A lowercase ASCII slug: `"Xã Bát Xát"` → `"xa-bat-xat"`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The key that identifies a body across spellings: folded, without "và" and spaces.
pub(super) fn body_key(name: &str) -> String {
    fold(name)
        .split(' ')
        .filter(|w| *w != "va")
        .collect::<Vec<_>>()
        .concat()
}

/// A lead or owner that names several bodies ("Các sở, ngành, địa phương", "UBND các xã,
/// phường") or a central ministry ("Bộ Công an"), which is not a unit of the province.
fn is_single_provincial_body(name: &str) -> bool {
    let f = fold(name);
    !(f.contains(',')
        || f.starts_with("cac ")
        || f.contains(" cac ")
        || f.starts_with("bo ")
        || f.is_empty())
}

/// The department bodies of the catalogue, each with the name to use: the spelling used most
/// often by task leads (so that tasks match units by name), else by indicator owners; ties go to
/// the first seen. Returns (key, name) in the generator's conventional order.
fn catalogue_bodies(catalogue: &Catalogue) -> Vec<(String, String)> {
    // (key, spelling, lead count, owner count, first seen)
    let mut seen: Vec<(String, String, usize, usize, usize)> = Vec::new();
    let mut order = 0usize;
    let mut note =
        |name: &str, lead: bool, seen: &mut Vec<(String, String, usize, usize, usize)>| {
            if !is_single_provincial_body(name) {
                return;
            }
            let key = body_key(name);
            order += 1;
            match seen.iter_mut().find(|s| s.0 == key && s.1 == name) {
                Some(s) if lead => s.2 += 1,
                Some(s) => s.3 += 1,
                None => seen.push((
                    key,
                    name.to_string(),
                    usize::from(lead),
                    usize::from(!lead),
                    order,
                )),
            }
        };
    for task in &catalogue.tasks {
        for lead in &task.lead {
            note(lead, true, &mut seen);
        }
    }
    for indicator in &catalogue.indicators {
        for owner in &indicator.owner {
            note(owner, false, &mut seen);
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for s in &seen {
        if !keys.contains(&s.0) {
            keys.push(s.0.clone());
        }
    }
    let mut bodies: Vec<(String, String)> = keys
        .into_iter()
        .filter_map(|key| {
            let best = seen.iter().filter(|s| s.0 == key).max_by(|a, b| {
                (a.2, a.3, std::cmp::Reverse(a.4)).cmp(&(b.2, b.3, std::cmp::Reverse(b.4)))
            })?;
            Some((key, best.1.clone()))
        })
        .collect();
    let rank = |key: &str| {
        DEPARTMENTS
            .iter()
            .position(|d| body_key(d.1) == key)
            .unwrap_or(DEPARTMENTS.len())
    };
    bodies.sort_by_key(|b| rank(&b.0));
    bodies
}

/// All units, in units.csv order: the province, its departments, its wards and communes.
pub fn build(catalogue: &Catalogue, seed: u64) -> Vec<Unit> {
    let mut rng = Rng::new(seed, "units");
    let mut units = vec![Unit {
        id: PROVINCE_ID.to_string(),
        name: PROVINCE_NAME.to_string(),
        parent: None,
        level: "tinh",
        kind: Kind::Province,
    }];
    for (key, name) in catalogue_bodies(catalogue) {
        let known = DEPARTMENTS.iter().find(|d| body_key(d.1) == key);
        let (id, weight) = match known {
            Some(d) => (d.0.to_string(), d.2),
            None => (slug(&name), 1.0),
        };
        let officials = rng.between(40, 260) as u32;
        units.push(Unit {
            id,
            name,
            parent: Some(PROVINCE_ID.to_string()),
            level: "so",
            kind: Kind::Department { weight, officials },
        });
    }
    let places = WARDS
        .iter()
        .map(|n| (true, *n))
        .chain(COMMUNES.iter().map(|n| (false, *n)));
    for (ward, place) in places {
        let name = format!("{} {place}", if ward { "Phường" } else { "Xã" });
        let population = if ward {
            rng.between(24_000, 66_000)
        } else {
            rng.between(5_200, 22_000)
        } as u32;
        let schools = (3 + population / 3_200) as i64 + rng.between(-1, 2);
        let hospitals = if ward {
            rng.between(1, 3)
        } else {
            i64::from(rng.chance(0.2))
        };
        let officials = rng.between(38, 72) as u32;
        let readiness = rng.normal() + if ward { 0.8 } else { 0.0 };
        units.push(Unit {
            id: slug(&name),
            name,
            parent: Some(PROVINCE_ID.to_string()),
            level: "xa",
            kind: Kind::Commune(Commune {
                ward,
                population,
                schools: schools.max(2) as u32,
                hospitals: hospitals as u32,
                officials,
                readiness,
            }),
        });
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Xã Bát Xát"), "xa-bat-xat");
        assert_eq!(slug("Phường Sa Pa"), "phuong-sa-pa");
        assert_eq!(slug("Xã Đông Cuông"), "xa-dong-cuong");
        assert_eq!(slug("Xã Tằng Loỏng"), "xa-tang-loong");
    }

    #[test]
    fn place_names_are_unique_and_99() {
        assert_eq!(WARDS.len(), 10);
        assert_eq!(COMMUNES.len(), 89);
        let mut ids: Vec<String> = WARDS
            .iter()
            .map(|w| slug(&format!("Phường {w}")))
            .chain(COMMUNES.iter().map(|c| slug(&format!("Xã {c}"))))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 99);
    }

    #[test]
    fn collective_and_central_bodies_are_not_units() {
        assert!(is_single_provincial_body("Công an tỉnh"));
        assert!(is_single_provincial_body("Sở Khoa học Công nghệ"));
        assert!(!is_single_provincial_body("Các sở, ngành, địa phương"));
        assert!(!is_single_provincial_body("UBND các xã, phường"));
        assert!(!is_single_provincial_body("Bộ Công an"));
        assert_eq!(
            body_key("Sở Khoa học Công nghệ"),
            body_key("Sở Khoa học và Công nghệ")
        );
        assert_eq!(body_key("Sở Nội Vụ"), body_key("Sở Nội vụ"));
    }
}
