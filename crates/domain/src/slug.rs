//! Closed lists of choices that travel as short slugs (in forms, the database and the API).

/// Declare a closed list of choices with its slugs: `ALL`, `slug()`, `Display`, and `FromStr`
/// whose error names the form field and the reason `invalid-choice`.
///
/// ```
/// sinergi_domain::slug_enum! {
///     /// How a cooperation is paid for.
///     pub enum Example: "example" {
///         One = "one",
///         Two = "two",
///     }
/// }
/// assert_eq!("two".parse::<Example>().unwrap(), Example::Two);
/// assert_eq!("three".parse::<Example>().unwrap_err().field, "example");
/// ```
#[macro_export]
macro_rules! slug_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $slug:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $slug)] $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn slug(self) -> &'static str {
                match self {
                    $($name::$variant => $slug),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.slug())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::auth::FieldError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.slug() == s)
                    .ok_or($crate::auth::FieldError::new($field, "invalid-choice"))
            }
        }
    };
}
