-- An Optuna RDB storage at schema revision v3.0.0.b, written by hand for
-- rung's tests from Optuna's alembic migrations v0.9.0.a to v3.0.0.b:
-- Optuna 3 distributions, float64 columns, and an intermediate value that
-- may be NULL (NaN) but no value type columns yet.
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE version_info (
	version_info_id INTEGER NOT NULL,
	schema_version INTEGER,
	library_version VARCHAR(256),
	PRIMARY KEY (version_info_id),
	CHECK (version_info_id=1)
);
CREATE TABLE study_directions (
	study_direction_id INTEGER NOT NULL,
	direction VARCHAR(8) NOT NULL,
	study_id INTEGER NOT NULL,
	objective INTEGER NOT NULL,
	PRIMARY KEY (study_direction_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, objective)
);
CREATE TABLE IF NOT EXISTS "studies" (
	study_id INTEGER NOT NULL,
	study_name VARCHAR(512) NOT NULL,
	PRIMARY KEY (study_id)
);
CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
CREATE TABLE IF NOT EXISTS "trials" (
	trial_id INTEGER NOT NULL,
	study_id INTEGER,
	state VARCHAR(8) NOT NULL,
	datetime_start DATETIME,
	datetime_complete DATETIME,
	number INTEGER,
	PRIMARY KEY (trial_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS "study_user_attributes" (
	study_user_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_user_attribute_id),
	UNIQUE (study_id, "key"),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS "study_system_attributes" (
	study_system_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_system_attribute_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, "key")
);
CREATE TABLE IF NOT EXISTS "trial_user_attributes" (
	trial_user_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_user_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS "trial_system_attributes" (
	trial_system_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_system_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS "trial_intermediate_values" (
	trial_intermediate_value_id INTEGER NOT NULL,
	trial_id INTEGER NOT NULL,
	step INTEGER NOT NULL,
	intermediate_value FLOAT,
	PRIMARY KEY (trial_intermediate_value_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, step)
);
CREATE TABLE IF NOT EXISTS "trial_params" (
	param_id INTEGER NOT NULL,
	trial_id INTEGER,
	param_name VARCHAR(512),
	param_value FLOAT,
	distribution_json TEXT,
	PRIMARY KEY (param_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, param_name)
);
CREATE TABLE IF NOT EXISTS "trial_values" (
	trial_value_id INTEGER NOT NULL,
	trial_id INTEGER,
	value FLOAT NOT NULL,
	objective INTEGER NOT NULL,
	PRIMARY KEY (trial_value_id),
	CONSTRAINT uq_trial_values_trial_id_objective UNIQUE (trial_id, objective),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);

INSERT INTO alembic_version VALUES ('v3.0.0.b');
INSERT INTO version_info VALUES (1, 12, '3.0.0b1');
INSERT INTO studies VALUES (1, 'nanny');
INSERT INTO study_directions VALUES (1, 'NOT_SET', 1, 0);

INSERT INTO trials VALUES (1, 1, 'PRUNED', '2022-05-01 08:00:00.000000', '2022-05-01 08:00:02.000000', 0);
INSERT INTO trials VALUES (2, 1, 'COMPLETE', '2022-05-01 08:00:03.000000', '2022-05-01 08:00:05.000000', 1);

INSERT INTO trial_params VALUES (1, 1, 'lr', 0.02, '{"name": "FloatDistribution", "attributes": {"low": 0.001, "high": 0.1, "log": true, "step": null}}');
INSERT INTO trial_params VALUES (2, 1, 'bs', 64.0, '{"name": "IntDistribution", "attributes": {"low": 16, "high": 256, "log": true, "step": 1}}');
INSERT INTO trial_params VALUES (3, 2, 'lr', 0.003, '{"name": "FloatDistribution", "attributes": {"low": 0.001, "high": 0.1, "log": true, "step": null}}');
INSERT INTO trial_params VALUES (4, 2, 'bs', 32.0, '{"name": "IntDistribution", "attributes": {"low": 16, "high": 256, "log": true, "step": 1}}');

INSERT INTO trial_values VALUES (1, 2, 0.625, 0);

INSERT INTO trial_intermediate_values VALUES (1, 1, 1, 2.0);
INSERT INTO trial_intermediate_values VALUES (2, 1, 2, NULL);
INSERT INTO trial_intermediate_values VALUES (3, 2, 1, 1.5);
INSERT INTO trial_intermediate_values VALUES (4, 2, 2, 0.625);
