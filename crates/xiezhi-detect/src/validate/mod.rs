//! Validators: one file each, pure functions over ASCII bytes, each with valid and invalid
//! vectors in its tests. Detectors call them after the candidate pass (detect → filter → verify).

pub mod bank_bin;
pub mod calendar;
pub mod email;
pub mod gb32100;
pub mod gps;
pub mod hk_id;
pub mod imei;
pub mod ip;
pub mod iso7064;
pub mod landline;
pub mod luhn;
pub mod mac;
pub mod mo_id;
pub mod mobile;
pub mod passport;
pub mod permit;
pub mod phone_intl;
pub mod plate;
pub mod region;
pub mod tw_id;
pub mod vin;
