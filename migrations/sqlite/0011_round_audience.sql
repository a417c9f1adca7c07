-- Who a round was for, as data (JSON: roles, wijken, gemeenten), next to `audience`'s text: so
-- contacts added after a round opened can be invited to it (`rounds::invite_late`). Rounds opened
-- before this column have NULL; they take named addresses only.
ALTER TABLE rounds ADD COLUMN audience_json TEXT;
