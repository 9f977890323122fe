-- Google's sample schema (https://cloud.google.com/spanner/docs/getting-started/nodejs),
-- reduced to what DESIGN.md's offline seed promises. One DDL statement per `;`.
CREATE TABLE Singers (
  SingerId  INT64 NOT NULL,
  FirstName STRING(1024),
  LastName  STRING(1024),
) PRIMARY KEY (SingerId);
