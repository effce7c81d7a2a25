-- The price book (issue 6): every version of the net price per practitioner
-- and billing interval, by practice type and practitioner-count tier
-- (docs/billing.md). A price is never updated in place: a change retires
-- the current row and inserts the next version, so that each version can
-- become its own Stripe Price under its lookup key. The whole file runs as
-- one implicit transaction.
--
-- The price book belongs to the platform, not to a practice: it has no
-- practice_id and no row-level security policy. Units of work inside a
-- practice (visite_tenant) may read it, to price seats, but never change it.

CREATE TABLE price_book (
    practice_type    text        NOT NULL CHECK (practice_type IN ('single', 'group', 'clinic', 'therapy')),
    tier             text        NOT NULL CHECK (tier IN ('1', '2to5', '6to10', '11to25', '26plus')),
    billing_interval text        NOT NULL CHECK (billing_interval IN ('monthly', 'yearly')),
    version          integer     NOT NULL CHECK (version >= 1),
    -- Net euro cents per practitioner and interval; VAT is added when quoted.
    net_cents        bigint      NOT NULL CHECK (net_cents BETWEEN 1 AND 1000000),
    currency         text        NOT NULL DEFAULT 'eur' CHECK (currency = 'eur'),
    -- visite_<type>_<tier>_<interval>_v<version>: Stripe finds the price by it.
    lookup_key       text        NOT NULL UNIQUE
                                 CHECK (lookup_key = 'visite_' || practice_type || '_' || tier || '_'
                                                     || billing_interval || '_v' || version),
    created_at       timestamptz NOT NULL,
    -- Null while the version is current.
    retired_at       timestamptz,
    PRIMARY KEY (practice_type, tier, billing_interval, version),
    CHECK (retired_at IS NULL OR retired_at >= created_at)
);

-- At most one current price per plan; a second concurrent change fails here.
CREATE UNIQUE INDEX price_book_current_idx ON price_book (practice_type, tier, billing_interval)
    WHERE retired_at IS NULL;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON price_book FROM visite_tenant;
GRANT SELECT ON price_book TO visite_tenant;

-- The launch prices (core/billing/launch.go, compared by a test): net euro
-- cents per practitioner; a year costs ten months.
INSERT INTO price_book (practice_type, tier, billing_interval, version, net_cents, lookup_key, created_at)
SELECT practice_type, tier, billing_interval, 1, net_cents,
       'visite_' || practice_type || '_' || tier || '_' || billing_interval || '_v1',
       '2026-01-01 00:00:00+00'
FROM (VALUES
    ('single',  '1',      'monthly',   3900),
    ('single',  '1',      'yearly',   39000),
    ('single',  '2to5',   'monthly',   3500),
    ('single',  '2to5',   'yearly',   35000),
    ('single',  '6to10',  'monthly',   3200),
    ('single',  '6to10',  'yearly',   32000),
    ('single',  '11to25', 'monthly',   2950),
    ('single',  '11to25', 'yearly',   29500),
    ('single',  '26plus', 'monthly',   2850),
    ('single',  '26plus', 'yearly',   28500),
    ('group',   '1',      'monthly',   3700),
    ('group',   '1',      'yearly',   37000),
    ('group',   '2to5',   'monthly',   3400),
    ('group',   '2to5',   'yearly',   34000),
    ('group',   '6to10',  'monthly',   3100),
    ('group',   '6to10',  'yearly',   31000),
    ('group',   '11to25', 'monthly',   2850),
    ('group',   '11to25', 'yearly',   28500),
    ('group',   '26plus', 'monthly',   2750),
    ('group',   '26plus', 'yearly',   27500),
    ('clinic',  '1',      'monthly',   4500),
    ('clinic',  '1',      'yearly',   45000),
    ('clinic',  '2to5',   'monthly',   4200),
    ('clinic',  '2to5',   'yearly',   42000),
    ('clinic',  '6to10',  'monthly',   3800),
    ('clinic',  '6to10',  'yearly',   38000),
    ('clinic',  '11to25', 'monthly',   3500),
    ('clinic',  '11to25', 'yearly',   35000),
    ('clinic',  '26plus', 'monthly',   3400),
    ('clinic',  '26plus', 'yearly',   34000),
    ('therapy', '1',      'monthly',   2900),
    ('therapy', '1',      'yearly',   29000),
    ('therapy', '2to5',   'monthly',   2700),
    ('therapy', '2to5',   'yearly',   27000),
    ('therapy', '6to10',  'monthly',   2500),
    ('therapy', '6to10',  'yearly',   25000),
    ('therapy', '11to25', 'monthly',   2300),
    ('therapy', '11to25', 'yearly',   23000),
    ('therapy', '26plus', 'monthly',   2250),
    ('therapy', '26plus', 'yearly',   22500)
) AS launch (practice_type, tier, billing_interval, net_cents);
