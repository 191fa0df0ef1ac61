//! Roles, the actor behind every request, and what each role may do.
//!
//! The rule of tenancy: a tenant's data is visible only to users of that tenant (and to the
//! platform operator). `Scope` carries that rule into every store query.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;
use crate::{AgencyId, PartnerId, RegionCode, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs the platform; not bound to a tenant.
    PlatformAdmin,
    /// Bagian Kerja Sama of a Pemda: manages the tenant, its agencies and users.
    RegionAdmin,
    /// Works for one agency (OPD).
    AgencyOfficer,
    /// Dinas Koperasi/UMKM.
    UmkmOfficer,
    /// Labkesda.
    LabOfficer,
    /// A company, bank, university or other region working with the Pemda.
    Partner,
    /// Owner of a micro or small business.
    UmkmOwner,
    /// Leaders and read-only users.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PlatformAdmin,
        Role::RegionAdmin,
        Role::AgencyOfficer,
        Role::UmkmOfficer,
        Role::LabOfficer,
        Role::Partner,
        Role::UmkmOwner,
        Role::Viewer,
    ];

    /// Roles a tenant's users can hold (everything but the platform operator).
    pub const TENANT_ROLES: [Role; 7] = [
        Role::RegionAdmin,
        Role::AgencyOfficer,
        Role::UmkmOfficer,
        Role::LabOfficer,
        Role::Partner,
        Role::UmkmOwner,
        Role::Viewer,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform-admin",
            Role::RegionAdmin => "region-admin",
            Role::AgencyOfficer => "agency-officer",
            Role::UmkmOfficer => "umkm-officer",
            Role::LabOfficer => "lab-officer",
            Role::Partner => "partner",
            Role::UmkmOwner => "umkm-owner",
            Role::Viewer => "viewer",
        }
    }

    /// Officers and viewers work inside the Pemda; partners and UMKM owners are outsiders
    /// who may only see what is shared with them.
    pub fn is_internal(self) -> bool {
        !matches!(self, Role::Partner | Role::UmkmOwner)
    }

    /// Whether a user with this role must belong to an agency.
    pub fn needs_agency(self) -> bool {
        matches!(self, Role::AgencyOfficer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role: {0}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.slug() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Something a route or a store call needs to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create and list tenants (Pemda) across the platform.
    ManagePlatform,
    /// Edit the tenant's own profile.
    ManageTenant,
    ManageAgencies,
    ManageUsers,
    ViewAudit,
    /// See the tenant's agencies and colleagues: internal users only.
    ViewDirectory,
    /// Keep an agency's performance targets and cooperation needs: admins for every agency,
    /// officers for their own (see [`Actor::may_plan_for`]).
    PlanCooperation,
    /// Keep the partner registry: contacts, offers. Internal officers and admins.
    ManagePartners,
    /// Draft agreements and move them through their stages: the Bagian Kerja Sama (region
    /// admin), which the regulation makes responsible for them.
    ManageAgreements,
    /// Publish CSR needs, verify and publish companies' realisation reports, set the
    /// reporting windows: the region admin (Bagian Kerja Sama, the CSR forum's secretariat).
    /// Agencies propose needs under [`Permission::PlanCooperation`]; the officer of the
    /// proposing agency may verify its reports too (see [`Actor::may_verify_csr`]).
    ManageCsr,
    /// Read the UMKM registry (masked personal data): internal users.
    ViewUmkm,
    /// Import into the UMKM registry, edit businesses, review duplicates, merge and split:
    /// the UMKM officers (Dinas Koperasi/UMKM) and the region admin.
    ManageUmkm,
    /// See a NIK whole (each reveal audited with its reason) and export phone numbers and
    /// NIKs: the roles whose work needs it (verifying an owner, a bank referral).
    RevealPersonalData,
    /// Claim a business in the registry and, once an officer has verified the claim, keep its
    /// profile current and download what the registry holds about it: UMKM owners.
    OwnBusiness,
    // Issue 7: the Labkesda.
    /// Keep the laboratory's catalogue and tariffs and take orders through their steps: the lab
    /// officers (UPTD Labkesda) and the admins.
    ManageLab,
    /// See the laboratory's orders and revenue: internal users (leaders read the dashboard).
    ViewLab,
    /// Reach the laboratory's catalogue and orders: internal users, and companies' partner
    /// users, who order tests and follow their own company's orders.
    OrderLab,
}

impl Permission {
    pub fn allows(self, role: Role) -> bool {
        use Role::*;
        match self {
            Permission::ManagePlatform => role == PlatformAdmin,
            Permission::ManageTenant | Permission::ManageAgencies | Permission::ManageUsers | Permission::ViewAudit => {
                matches!(role, PlatformAdmin | RegionAdmin)
            }
            Permission::ViewDirectory => role.is_internal(),
            Permission::ManageAgreements | Permission::ManageCsr => matches!(role, PlatformAdmin | RegionAdmin),
            Permission::ManagePartners => {
                matches!(role, PlatformAdmin | RegionAdmin | AgencyOfficer | UmkmOfficer | LabOfficer)
            }
            Permission::ViewUmkm => role.is_internal(),
            Permission::OwnBusiness => role == UmkmOwner,
            Permission::ManageUmkm | Permission::RevealPersonalData => {
                matches!(role, PlatformAdmin | RegionAdmin | UmkmOfficer)
            }
            Permission::PlanCooperation => {
                matches!(role, PlatformAdmin | RegionAdmin | AgencyOfficer | UmkmOfficer | LabOfficer)
            }
            // Issue 7: the Labkesda.
            Permission::ManageLab => matches!(role, PlatformAdmin | RegionAdmin | LabOfficer),
            Permission::ViewLab => role.is_internal(),
            Permission::OrderLab => role.is_internal() || role == Partner,
        }
    }

    /// The roles this permission lets through, for documentation and for the route walk.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| self.allows(*r)).collect()
    }
}

/// Which tenants' rows a query may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The platform operator sees every tenant.
    Platform,
    /// Everyone else sees one tenant.
    Tenant(RegionCode),
}

impl Scope {
    /// May this scope see rows of `tenant`?
    pub fn covers(&self, tenant: &RegionCode) -> bool {
        match self {
            Scope::Platform => true,
            Scope::Tenant(own) => own == tenant,
        }
    }

    pub fn tenant(&self) -> Option<&RegionCode> {
        match self {
            Scope::Platform => None,
            Scope::Tenant(code) => Some(code),
        }
    }
}

/// The authenticated user behind a request, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    pub scope: Scope,
    pub agency: Option<AgencyId>,
    /// The company (or bank, university...) a partner user speaks for; `None` for everyone
    /// else.
    pub partner: Option<PartnerId>,
    /// Shown in the audit trail next to the id ("Siti Rahma <region-admin@...>").
    pub label: String,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        permission.allows(self.role)
    }

    /// May this actor keep the targets and needs of `agency`? Admins plan for every agency of
    /// their scope; an officer only for the agency they belong to.
    pub fn may_plan_for(&self, agency: AgencyId) -> bool {
        match self.role {
            Role::PlatformAdmin | Role::RegionAdmin => true,
            _ => self.can(Permission::PlanCooperation) && self.agency == Some(agency),
        }
    }

    /// May this actor verify the CSR reports of a need proposed by `agency`? The region admin
    /// for every need; an officer for the needs of their own agency.
    pub fn may_verify_csr(&self, agency: Option<AgencyId>) -> bool {
        self.can(Permission::ManageCsr) || agency.is_some_and(|a| self.may_plan_for(a))
    }

    /// May this actor act for `partner` (pledge, report)? The partner's own users, and
    /// officers who keep the partner registry, entering it on the company's behalf.
    pub fn may_act_for(&self, partner: PartnerId) -> bool {
        match self.role {
            Role::Partner => self.partner == Some(partner),
            _ => self.can(Permission::ManagePartners),
        }
    }

    /// An actor for work the system does itself (migrations, demo loading, the CLI).
    pub fn system(label: &str) -> Self {
        Actor {
            user_id: UserId::from_uuid(uuid::Uuid::nil()),
            role: Role::PlatformAdmin,
            scope: Scope::Platform,
            agency: None,
            partner: None,
            label: label.to_owned(),
        }
    }
}

/// Who may hand out which role: the platform role only by the platform; every other role only
/// inside a tenant.
pub fn check_grant(granter: &Actor, role: Role, tenant: Option<&RegionCode>) -> Result<(), FieldError> {
    if role == Role::PlatformAdmin && !granter.can(Permission::ManagePlatform) {
        return Err(FieldError::new("role", "invalid-choice"));
    }
    if role != Role::PlatformAdmin && tenant.is_none() {
        return Err(FieldError::new("tenant", "required"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_platform_grants_the_platform_role() {
        let code = RegionCode::parse("36.73").unwrap();
        let admin = Actor {
            user_id: UserId::new(),
            role: Role::RegionAdmin,
            scope: Scope::Tenant(code.clone()),
            agency: None,
            partner: None,
            label: "admin".into(),
        };
        assert_eq!(check_grant(&admin, Role::PlatformAdmin, None).unwrap_err().field, "role");
        assert!(check_grant(&admin, Role::Viewer, Some(&code)).is_ok());
        assert_eq!(check_grant(&Actor::system("t"), Role::Viewer, None).unwrap_err().field, "tenant");
        assert!(check_grant(&Actor::system("t"), Role::PlatformAdmin, None).is_ok());
    }

    #[test]
    fn officers_plan_only_for_their_own_agency() {
        let own = AgencyId::new();
        let other = AgencyId::new();
        let officer = Actor { role: Role::AgencyOfficer, agency: Some(own), ..Actor::system("o") };
        assert!(officer.may_plan_for(own) && !officer.may_plan_for(other));
        let viewer = Actor { role: Role::Viewer, agency: Some(own), ..Actor::system("v") };
        assert!(!viewer.may_plan_for(own), "viewers read, they do not plan");
        let no_agency = Actor { role: Role::UmkmOfficer, agency: None, ..Actor::system("u") };
        assert!(!no_agency.may_plan_for(own));
        assert!(Actor { role: Role::RegionAdmin, ..Actor::system("a") }.may_plan_for(other));
    }

    #[test]
    fn companies_act_only_for_themselves() {
        let own = PartnerId::new();
        let other = PartnerId::new();
        let company = Actor { role: Role::Partner, partner: Some(own), ..Actor::system("c") };
        assert!(company.may_act_for(own) && !company.may_act_for(other));
        let unlinked = Actor { role: Role::Partner, partner: None, ..Actor::system("c") };
        assert!(!unlinked.may_act_for(own));
        let officer = Actor { role: Role::AgencyOfficer, agency: Some(AgencyId::new()), ..Actor::system("o") };
        assert!(officer.may_act_for(other), "an officer enters a report for the company");
        assert!(!Actor { role: Role::Viewer, ..Actor::system("v") }.may_act_for(own));
    }

    #[test]
    fn the_admin_and_the_proposing_agency_verify() {
        let agency = AgencyId::new();
        let officer = Actor { role: Role::AgencyOfficer, agency: Some(agency), ..Actor::system("o") };
        assert!(officer.may_verify_csr(Some(agency)));
        assert!(!officer.may_verify_csr(Some(AgencyId::new())) && !officer.may_verify_csr(None));
        assert!(Actor { role: Role::RegionAdmin, ..Actor::system("a") }.may_verify_csr(None));
        assert!(!Actor { role: Role::Partner, ..Actor::system("p") }.may_verify_csr(Some(agency)));
    }

    #[test]
    fn role_slugs_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.slug().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_admins_manage() {
        assert_eq!(Permission::ManageUsers.roles(), vec![Role::PlatformAdmin, Role::RegionAdmin]);
        assert_eq!(Permission::ManagePlatform.roles(), vec![Role::PlatformAdmin]);
        assert!(!Permission::ViewDirectory.allows(Role::Partner));
        assert!(Permission::ViewDirectory.allows(Role::Viewer));
    }

    #[test]
    fn scope_covers_only_own_tenant() {
        let serang = RegionCode::parse("36.73").unwrap();
        let kab = RegionCode::parse("36.04").unwrap();
        assert!(Scope::Tenant(serang.clone()).covers(&serang));
        assert!(!Scope::Tenant(serang).covers(&kab));
        assert!(Scope::Platform.covers(&kab));
    }
}
