//! Matchmaking events' sign-ups: a party signs itself up and withdraws (see `match_events`).

use super::*;

impl App {
    /// Signs the principal's own organisation up.
    pub async fn sign_up_for_match_event(
        &self,
        principal: &Principal,
        id: i64,
        input: &SignupInput,
    ) -> Result<SignupView, AppError> {
        let Some(party_id) = party_user(principal) else {
            return Err(AppError::forbidden(
                "lenders, insurers, guarantors and enterprises sign up",
            ));
        };
        if input.party_id.is_some_and(|other| other != party_id) {
            return Err(AppError::forbidden(
                "you sign up your own organisation only",
            ));
        }
        let party = self
            .db
            .get_party(party_id)
            .await?
            .ok_or_else(|| AppError::forbidden("your organisation is not registered"))?;
        let side = SignupSide::of(party.kind).ok_or_else(|| refused(SignupRefusal::PartyKind))?;
        if let Some(demand_id) = input.demand_id {
            if side != SignupSide::Enterprise {
                return Err(invalid(
                    "demand_id",
                    "not_applicable",
                    "an enterprise names its demand",
                ));
            }
            let own =
                self.db.get_demand(demand_id).await?.is_some_and(|demand| {
                    demand.enterprise_id == party_id && !demand.stage.is_final()
                });
            if !own {
                return Err(invalid(
                    "demand_id",
                    "not_yours",
                    format!("no open demand {demand_id} of yours"),
                ));
            }
        }
        let check = |event: &MatchEventRecord, already: bool| {
            signup_refusal(
                &event.terms,
                event.status,
                self.clock.now(),
                party.kind,
                event.counts,
                already,
            )
        };
        let event = self.load_event(id).await?;
        let already = self
            .db
            .list_signups(id, Some(party_id))
            .await?
            .iter()
            .any(|signup| signup.active);
        if let Some(refusal) = check(&event, already) {
            return Err(refused(refusal));
        }
        let now = self.clock.now();
        let inserted = self
            .db
            .insert_signup(
                id,
                party_id,
                side,
                input.demand_id,
                &principal.username,
                now,
            )
            .await;
        let signup_id = match inserted {
            Ok(signup_id) => signup_id,
            Err(DbError::Constraint(_)) => return Err(refused(SignupRefusal::Duplicate)),
            Err(DbError::Stale(message)) => {
                let event = self.load_event(id).await?;
                return Err(check(&event, false)
                    .map(refused)
                    .unwrap_or_else(|| conflict("match_event.changed", message)));
            }
            Err(other) => return Err(other.into()),
        };
        let signup = self
            .db
            .get_signup(signup_id)
            .await?
            .ok_or_else(|| AppError::not_found("signup.not_found", "the sign-up vanished"))?;
        Ok(signup_view(signup))
    }

    /// Withdraws the principal's own sign-up, before the deadline.
    pub async fn withdraw_match_event_signup(
        &self,
        principal: &Principal,
        id: i64,
        signup_id: i64,
    ) -> Result<SignupView, AppError> {
        let not_found =
            || AppError::not_found("signup.not_found", format!("no sign-up {signup_id}"));
        let signup = self
            .db
            .get_signup(signup_id)
            .await?
            .filter(|signup| signup.event_id == id)
            .ok_or_else(not_found)?;
        if party_user(principal) != Some(signup.party_id) {
            return Err(AppError::forbidden("a party withdraws its own sign-up"));
        }
        if !signup.active {
            return Err(conflict(
                "signup.withdrawn",
                "the sign-up is withdrawn already",
            ));
        }
        let event = self.load_event(id).await?;
        if let Some(refusal) = withdrawal_refusal(&event.terms, event.status, self.clock.now()) {
            return Err(refused(refusal));
        }
        self.db
            .withdraw_signup(&signup, &principal.username, self.clock.now())
            .await
            .map_err(stale("signup.withdrawn"))?;
        let signup = self.db.get_signup(signup_id).await?.ok_or_else(not_found)?;
        Ok(signup_view(signup))
    }

    /// The sign-ups: all to the organiser and overseeing offices, its own to a party.
    pub async fn match_event_signups(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<Vec<SignupView>, AppError> {
        let event = self.load_event(id).await?;
        let party = if oversees(principal, &event) {
            None
        } else {
            match party_user(principal) {
                Some(party) => Some(party),
                None => return Ok(Vec::new()),
            }
        };
        Ok(self
            .db
            .list_signups(id, party)
            .await?
            .into_iter()
            .map(signup_view)
            .collect())
    }
}
