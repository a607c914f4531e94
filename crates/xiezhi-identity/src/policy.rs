//! What a rights request may ask for to verify the requester: no more than registration needed.
//!
//! The rules (regulation catalogue SR-ID-01..03):
//!
//! - a user who registered or verified with 网号/网证 (MPS Order No. 173) must not be asked for
//!   additional plaintext identity information (name, ID number, ID document or face image);
//! - users who do not use 网号/网证 get the same service through other lawful methods, so a
//!   网证 is never *required* of them;
//! - verification for a rights request (Reg. art. 23 and 25(1); PIPL art. 50) asks only for data
//!   the account already gave at registration: an account that never gave a phone number is not
//!   asked for one, and so on;
//! - plaintext identity is asked for only where the platform already holds it because a law
//!   required it and the user separately consented (SR-ID-01).
//!
//! [`allowed_methods`] lists the methods an account can use; [`check_requested`] refuses a
//! verification form that asks for more.

use serde::{Deserialize, Serialize};

/// A way to verify that the requester is the account holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The platform-signed user token of a signed-in user (verified by the server; this crate
    /// only names the method).
    Token,
    /// A one-time code sent to the e-mail address on the account.
    EmailCode,
    /// A one-time code sent by SMS to the phone number on the account.
    SmsCode,
    /// A 网证 credential verified with the national network identity authentication public
    /// service; the returned 网号 must equal the one bound at registration.
    NetworkIdentity,
}

impl Method {
    /// Stable identifier (`token`, `email_code`, `sms_code`, `network_identity`).
    pub fn id(self) -> &'static str {
        match self {
            Method::Token => "token",
            Method::EmailCode => "email_code",
            Method::SmsCode => "sms_code",
            Method::NetworkIdentity => "network_identity",
        }
    }

    /// Label for the user, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Method::Token => "已登录账号",
            Method::EmailCode => "邮箱验证码",
            Method::SmsCode => "短信验证码",
            Method::NetworkIdentity => "网号/网证（国家网络身份认证）",
        }
    }

    /// Label for the user, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Method::Token => "signed-in account",
            Method::EmailCode => "code by e-mail",
            Method::SmsCode => "code by SMS",
            Method::NetworkIdentity => "network identity (网号/网证)",
        }
    }
}

/// What the platform holds for an account: the data given at registration, nothing more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// An e-mail address is on the account.
    #[serde(default)]
    pub has_email: bool,
    /// A phone number is on the account.
    #[serde(default)]
    pub has_phone: bool,
    /// The 网号 bound at registration or real-name verification through 网号/网证, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_number: Option<String>,
    /// The requester can present a platform-signed user token (signed-in session).
    #[serde(default)]
    pub signed_in_token: bool,
    /// The platform holds plaintext identity document data because a law required it and the
    /// user gave separate consent (MPS Order No. 173; SR-ID-01). `false` for most accounts.
    #[serde(default)]
    pub plaintext_id_on_file: bool,
}

/// A piece of data a verification form could ask the requester for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    /// The e-mail address (to send a code to).
    Email,
    /// The phone number (to send a code to).
    Phone,
    /// A 网证 credential from the national app.
    NetworkCredential,
    /// The real name.
    RealName,
    /// The resident ID (or other ID document) number.
    IdNumber,
    /// A photo or scan of the ID document.
    IdDocumentImage,
    /// A face image or liveness check.
    FaceImage,
}

impl IdentityField {
    /// Stable identifier, e.g. `id_number`.
    pub fn id(self) -> &'static str {
        match self {
            IdentityField::Email => "email",
            IdentityField::Phone => "phone",
            IdentityField::NetworkCredential => "network_credential",
            IdentityField::RealName => "real_name",
            IdentityField::IdNumber => "id_number",
            IdentityField::IdDocumentImage => "id_document_image",
            IdentityField::FaceImage => "face_image",
        }
    }

    /// Whether the field is plaintext identity information in the sense of MPS Order No. 173.
    pub fn is_plaintext_identity(self) -> bool {
        matches!(
            self,
            IdentityField::RealName
                | IdentityField::IdNumber
                | IdentityField::IdDocumentImage
                | IdentityField::FaceImage
        )
    }
}

/// A verification form that asks for more than the rules allow. Messages are bilingual
/// (English, then Chinese) and name fields, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Plaintext identity asked of a 网号/网证 user.
    #[error(
        "field `{}` is plaintext identity information and this account registered or verified \
         with 网号/网证: it must not be asked for (MPS Order No. 173; SR-ID-02); verify with the \
         network identity or a one-time code instead / 该账号已通过网号/网证注册或核验，不得要求其\
         额外提供明文身份信息（{}）（公安部令第173号；SR-ID-02），请改用网号/网证或验证码核验",
        field.id(),
        field.id()
    )]
    PlaintextFromNetworkIdentityUser {
        /// The refused field.
        field: IdentityField,
    },
    /// Data the account never gave at registration.
    #[error(
        "field `{}` was never given at registration: verification for a rights request may ask \
         only for data the account already holds (Reg. arts. 23 and 25(1); PIPL art. 50; \
         SR-ID-03); use one of the account's allowed methods / 该信息（{}）注册时未提供，个人信息\
         权利请求的身份核验不得要求多于注册时提供的信息（《条例》第二十三条、第二十五条第一项；\
         个人信息保护法第五十条；SR-ID-03），请使用账号可用的核验方式",
        field.id(),
        field.id()
    )]
    NotGivenAtRegistration {
        /// The refused field.
        field: IdentityField,
    },
    /// A 网证 required from a user who does not use 网号/网证.
    #[error(
        "a 网证 credential was required from an account without a bound 网号: use of 网号/网证 is \
         voluntary and users without it must get the same service through other lawful methods \
         (MPS Order No. 173; SR-ID-02); offer e-mail/SMS codes or the signed-in token / 该账号未\
         绑定网号，网号/网证为自愿使用，不得强制要求；未使用网号/网证的用户应通过其他合法方式获得\
         同等服务（公安部令第173号；SR-ID-02）"
    )]
    NetworkIdentityRequired,
    /// The method is not available for this account.
    #[error(
        "verification method `{}` is not available for this account (it holds no matching \
         registration data); choose one of the allowed methods / 该账号不支持此核验方式（{}）",
        method.id(),
        method.id()
    )]
    MethodNotAvailable {
        /// The refused method.
        method: Method,
    },
}

/// The verification methods the account can use, most convenient first. An empty list means
/// the account holds no contact point or 网号: handle the request manually without asking for
/// new identity data.
pub fn allowed_methods(reg: &Registration) -> Vec<Method> {
    let mut out = Vec::with_capacity(4);
    if reg.signed_in_token {
        out.push(Method::Token);
    }
    if reg.network_number.is_some() {
        out.push(Method::NetworkIdentity);
    }
    if reg.has_phone {
        out.push(Method::SmsCode);
    }
    if reg.has_email {
        out.push(Method::EmailCode);
    }
    out
}

/// Refuses a method the account cannot use.
pub fn check_method(reg: &Registration, method: Method) -> Result<(), PolicyError> {
    if allowed_methods(reg).contains(&method) {
        Ok(())
    } else {
        Err(PolicyError::MethodNotAvailable { method })
    }
}

/// Checks a verification form that asks the requester for `requested`: every field must be
/// data the account already gave, plaintext identity is never asked of a 网号/网证 user, and a
/// 网证 is never required of a user without one. Returns the first violation.
pub fn check_requested(reg: &Registration, requested: &[IdentityField]) -> Result<(), PolicyError> {
    for &field in requested {
        match field {
            IdentityField::Email if !reg.has_email => {
                return Err(PolicyError::NotGivenAtRegistration { field });
            }
            IdentityField::Phone if !reg.has_phone => {
                return Err(PolicyError::NotGivenAtRegistration { field });
            }
            IdentityField::NetworkCredential if reg.network_number.is_none() => {
                return Err(PolicyError::NetworkIdentityRequired);
            }
            f if f.is_plaintext_identity() => {
                if reg.network_number.is_some() {
                    return Err(PolicyError::PlaintextFromNetworkIdentityUser { field });
                }
                if !reg.plaintext_id_on_file {
                    return Err(PolicyError::NotGivenAtRegistration { field });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn netid_user() -> Registration {
        Registration {
            has_phone: true,
            network_number: Some("WH8K2P4Q7R9T3V5X".into()),
            ..Registration::default()
        }
    }

    #[test]
    fn network_identity_user_is_never_asked_for_plaintext_id() {
        let reg = Registration {
            plaintext_id_on_file: true,
            ..netid_user()
        };
        for f in [
            IdentityField::IdNumber,
            IdentityField::RealName,
            IdentityField::IdDocumentImage,
            IdentityField::FaceImage,
        ] {
            let err = check_requested(&reg, &[IdentityField::Phone, f]);
            assert_eq!(
                err,
                Err(PolicyError::PlaintextFromNetworkIdentityUser { field: f })
            );
        }
        let msg = check_requested(&reg, &[IdentityField::IdNumber])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("MPS Order No. 173") && msg.contains("公安部令第173号"));
        assert!(msg.contains("SR-ID-02") && msg.contains("id_number"));
        assert!(
            !msg.contains("WH8K2P4Q7R9T3V5X"),
            "no account data in errors"
        );
    }

    #[test]
    fn only_registration_data_may_be_asked() {
        let reg = Registration {
            has_email: true,
            ..Registration::default()
        };
        assert_eq!(check_requested(&reg, &[IdentityField::Email]), Ok(()));
        assert_eq!(
            check_requested(&reg, &[IdentityField::Phone]),
            Err(PolicyError::NotGivenAtRegistration {
                field: IdentityField::Phone
            })
        );
        assert_eq!(
            check_requested(&reg, &[IdentityField::IdNumber]),
            Err(PolicyError::NotGivenAtRegistration {
                field: IdentityField::IdNumber
            })
        );
        // Held by law with separate consent: it may be matched again.
        let held = Registration {
            plaintext_id_on_file: true,
            ..reg
        };
        assert_eq!(check_requested(&held, &[IdentityField::IdNumber]), Ok(()));
    }

    #[test]
    fn network_credential_is_voluntary() {
        let reg = Registration {
            has_email: true,
            ..Registration::default()
        };
        assert_eq!(
            check_requested(&reg, &[IdentityField::NetworkCredential]),
            Err(PolicyError::NetworkIdentityRequired)
        );
        assert_eq!(
            check_requested(&netid_user(), &[IdentityField::NetworkCredential]),
            Ok(())
        );
    }

    #[test]
    fn allowed_methods_follow_registration() {
        assert_eq!(
            allowed_methods(&netid_user()),
            vec![Method::NetworkIdentity, Method::SmsCode]
        );
        let all = Registration {
            has_email: true,
            has_phone: true,
            signed_in_token: true,
            network_number: Some("X1".into()),
            plaintext_id_on_file: false,
        };
        assert_eq!(allowed_methods(&all).len(), 4);
        assert!(allowed_methods(&Registration::default()).is_empty());
        assert_eq!(
            check_method(&Registration::default(), Method::EmailCode),
            Err(PolicyError::MethodNotAvailable {
                method: Method::EmailCode
            })
        );
        // Users without 网号 keep equal service: codes are offered.
        let plain = Registration {
            has_phone: true,
            ..Registration::default()
        };
        assert_eq!(allowed_methods(&plain), vec![Method::SmsCode]);
    }

    #[test]
    fn registration_round_trips_as_json() {
        let reg = netid_user();
        let json = serde_json::to_string(&reg).unwrap_or_default();
        let back: Registration = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, reg);
        assert_eq!(
            serde_json::to_string(&Method::NetworkIdentity).unwrap_or_default(),
            "\"network_identity\""
        );
    }
}
