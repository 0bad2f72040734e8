//! The product catalogue (issue 6, F1). Anyone — signed in or not — lists the products on offer
//! and reads one with its versions (the national platform's "product display"); a lender's users
//! publish loans, an insurer's or guarantor's users insurance or guarantees, and only the
//! publisher's users revise (a new version) or withdraw its products.

use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::products::{ProductFilter, ProductRecord};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::{ProductDraft, ProductKind, ProductStatus, ProductTerms};
use ipyun_domain::page::{Page, PageRequest};
use serde::{Deserialize, Serialize};

/// The longest reason for a withdrawal, in characters.
const MAX_REASON_CHARS: usize = 500;

/// Which products to list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    pub kind: Option<ProductKind>,
    pub publisher_id: Option<i64>,
    /// Products whose amount range contains this amount, in fen.
    pub amount_fen: Option<i64>,
    /// Also withdrawn and expired products (only the publisher's own, with `publisher_id`).
    #[serde(default)]
    pub all: bool,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalInput {
    pub reason: String,
}

/// A product as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub status: ProductStatus,
    pub version: i64,
    /// Active and within its validity today.
    pub offered: bool,
    pub terms: ProductTerms,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductVersionView {
    pub version: i64,
    pub terms: ProductTerms,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

/// A product with every version of its terms.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductDetail {
    pub product: ProductView,
    pub versions: Vec<ProductVersionView>,
}

fn view(record: ProductRecord, today: NaiveDate) -> ProductView {
    ProductView {
        offered: record.status == ProductStatus::Active && record.terms.valid_on(today),
        id: record.id,
        publisher_id: record.publisher_id,
        publisher_name: record.publisher_name,
        status: record.status,
        version: record.version,
        terms: record.terms,
        withdrawn_reason: record.withdrawn_reason,
        updated_at: record.updated_at,
    }
}

fn product_not_found(id: i64) -> AppError {
    AppError::not_found("product.not_found", format!("no product {id}"))
}

impl App {
    /// The party the principal publishes for, if its role and party may publish `kind`.
    async fn publisher_for(
        &self,
        principal: &Principal,
        kind: Option<ProductKind>,
    ) -> Result<i64, AppError> {
        let (Role::Lender | Role::Insurer, Some(party_id)) = (principal.role, principal.party_id)
        else {
            return Err(AppError::forbidden(
                "lenders publish loans; insurers and guarantors their insurance and guarantees",
            ));
        };
        let Some(kind) = kind else {
            return Ok(party_id);
        };
        let party = self
            .db
            .get_party(party_id)
            .await?
            .ok_or_else(|| AppError::forbidden("your organisation is not registered"))?;
        if party.kind != kind.publisher() {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "kind",
                "not_your_kind",
                format!(
                    "a {} publishes {} products; your organisation is a {}",
                    kind.publisher().as_str(),
                    kind.as_str(),
                    party.kind.as_str()
                ),
            )])));
        }
        Ok(party_id)
    }

    /// Publishes a product for the principal's organisation.
    pub async fn publish_product(
        &self,
        principal: &Principal,
        draft: &ProductDraft,
    ) -> Result<ProductDetail, AppError> {
        let publisher = self.publisher_for(principal, draft.kind).await?;
        let terms = draft.validate().map_err(AppError::validation)?;
        let id = self
            .db
            .insert_product(publisher, &terms, &principal.username, self.clock.now())
            .await?;
        self.product_detail(id).await
    }

    /// A product its publisher's user may change, or a refusal.
    async fn own_product(&self, principal: &Principal, id: i64) -> Result<ProductRecord, AppError> {
        let product = self
            .db
            .get_product(id)
            .await?
            .ok_or_else(|| product_not_found(id))?;
        if principal.party_id != Some(product.publisher_id)
            || !matches!(principal.role, Role::Lender | Role::Insurer)
        {
            return Err(AppError::forbidden(
                "only the publisher's users change a product",
            ));
        }
        if product.status == ProductStatus::Withdrawn {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "product.withdrawn",
                format!("product {id} is withdrawn"),
            ));
        }
        Ok(product)
    }

    /// Revises a product: the new terms become the next version (its kind stays).
    pub async fn revise_product(
        &self,
        principal: &Principal,
        id: i64,
        draft: &ProductDraft,
    ) -> Result<ProductDetail, AppError> {
        let product = self.own_product(principal, id).await?;
        let terms = draft.validate().map_err(AppError::validation)?;
        if terms.kind != product.terms.kind {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "kind",
                "changed",
                "a product keeps its kind; publish another product instead",
            )])));
        }
        self.db
            .update_product(
                id,
                product.version,
                &terms,
                &principal.username,
                self.clock.now(),
            )
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Stale(message) => {
                    AppError::new(ErrorKind::Conflict, "product.changed", message)
                }
                other => other.into(),
            })?;
        self.product_detail(id).await
    }

    /// Withdraws a product with a reason.
    pub async fn withdraw_product(
        &self,
        principal: &Principal,
        id: i64,
        input: &WithdrawalInput,
    ) -> Result<ProductDetail, AppError> {
        self.own_product(principal, id).await?;
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "reason",
                "required",
                format!("a reason of 1 to {MAX_REASON_CHARS} characters"),
            )])));
        }
        self.db
            .withdraw_product(id, reason, &principal.username, self.clock.now())
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Stale(message) => {
                    AppError::new(ErrorKind::Conflict, "product.withdrawn", message)
                }
                other => other.into(),
            })?;
        self.product_detail(id).await
    }

    /// Products on offer today (or, for a publisher's users asking for their own with `all`,
    /// every one of theirs), newest first.
    pub async fn list_products(
        &self,
        principal: Option<&Principal>,
        query: &ProductQuery,
    ) -> Result<Page<ProductView>, AppError> {
        let today = self.clock.today();
        let own = principal.is_some_and(|principal| {
            query.publisher_id.is_some() && principal.party_id == query.publisher_id
        });
        if query.all && !own {
            return Err(AppError::forbidden(
                "withdrawn and expired products are listed to their publisher only",
            ));
        }
        let filter = ProductFilter {
            kind: query.kind,
            publisher_id: query.publisher_id,
            offered_on: (!query.all).then_some(today),
            amount_fen: query.amount_fen,
        };
        let request = PageRequest::new(query.page, query.per_page);
        let (records, total) = self
            .db
            .list_products(&filter, request.limit(), request.offset())
            .await?;
        Ok(Page {
            items: records
                .into_iter()
                .map(|record| view(record, today))
                .collect(),
            page: request.page,
            per_page: request.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// One product with its versions (public).
    pub async fn product_detail(&self, id: i64) -> Result<ProductDetail, AppError> {
        let product = self
            .db
            .get_product(id)
            .await?
            .ok_or_else(|| product_not_found(id))?;
        let versions = self
            .db
            .product_versions(id)
            .await?
            .into_iter()
            .map(|version| ProductVersionView {
                version: version.version,
                terms: version.terms,
                changed_by: version.changed_by,
                changed_at: version.changed_at,
            })
            .collect();
        Ok(ProductDetail {
            product: view(product, self.clock.today()),
            versions,
        })
    }
}
