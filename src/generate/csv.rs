//! Writing the generated CSV files (RFC 4180 quoting) and the number formats of the data:
//! plain (`12.5`), and the Vietnamese office forms (`12,5`, `24.742`) that readers must accept.

/// A CSV file being built in memory; the generators' files are small.
#[derive(Debug, Default)]
pub struct Csv {
    text: String,
}

impl Csv {
    pub fn new() -> Csv {
        Csv::default()
    }

    /// Appends one record, quoting the fields that need it.
    pub fn row(&mut self, fields: &[&str]) {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                self.text.push('"');
                self.text.push_str(&field.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(field);
            }
        }
        self.text.push('\n');
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// A number with at most two decimals and no trailing zeros: `12.5`, `80`, `12.44`. Never three
/// decimals, which a reader would take for a thousands group (`12.500`).
pub fn num(x: f64) -> String {
    let s = format!("{:.2}", (x * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// [`num`] with a decimal comma, as Vietnamese offices write it: `30,6`; integers unchanged.
pub fn vn_decimal(x: f64) -> String {
    num(x).replace('.', ",")
}

/// An integer with `.` between groups of three digits: `24742` → `24.742`.
pub fn grouped_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_forms() {
        let cases = [
            (12.5, "12.5", "12,5"),
            (80.0, "80", "80"),
            (12.444, "12.44", "12,44"),
            (0.004, "0", "0"),
            (82.8914, "82.89", "82,89"),
        ];
        for (x, plain, vn) in cases {
            assert_eq!(num(x), plain, "num({x})");
            assert_eq!(vn_decimal(x), vn, "vn_decimal({x})");
        }
        assert_eq!(grouped_thousands(24_742), "24.742");
        assert_eq!(grouped_thousands(1_812_400), "1.812.400");
        assert_eq!(grouped_thousands(999), "999");
    }

    #[test]
    fn quotes_fields_with_commas() {
        let mut csv = Csv::new();
        csv.row(&["a", "30,6", "say \"hi\""]);
        assert_eq!(csv.into_string(), "a,\"30,6\",\"say \"\"hi\"\"\"\n");
    }
}
