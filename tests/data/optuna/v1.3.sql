-- An Optuna RDB storage at schema revision v1.3.0.a, written by hand for
-- rung's tests from Optuna's alembic migrations v0.9.0.a to v1.3.0.a:
-- as v1.2.0.a, with the trial's number a column of trials.
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE studies (
	study_id INTEGER NOT NULL,
	study_name VARCHAR(512) NOT NULL,
	direction VARCHAR(8) NOT NULL,
	PRIMARY KEY (study_id)
);
CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
CREATE TABLE version_info (
	version_info_id INTEGER NOT NULL,
	schema_version INTEGER,
	library_version VARCHAR(256),
	PRIMARY KEY (version_info_id),
	CHECK (version_info_id=1)
);
CREATE TABLE study_system_attributes (
	study_system_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json VARCHAR(2048),
	PRIMARY KEY (study_system_attribute_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, "key")
);
CREATE TABLE study_user_attributes (
	study_user_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json VARCHAR(2048),
	PRIMARY KEY (study_user_attribute_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, "key")
);
CREATE TABLE trial_params (
	param_id INTEGER NOT NULL,
	trial_id INTEGER,
	param_name VARCHAR(512),
	param_value FLOAT,
	distribution_json VARCHAR(2048),
	PRIMARY KEY (param_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, param_name)
);
CREATE TABLE trial_system_attributes (
	trial_system_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json VARCHAR(2048),
	PRIMARY KEY (trial_system_attribute_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, "key")
);
CREATE TABLE trial_user_attributes (
	trial_user_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json VARCHAR(2048),
	PRIMARY KEY (trial_user_attribute_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, "key")
);
CREATE TABLE trial_values (
	trial_value_id INTEGER NOT NULL,
	trial_id INTEGER,
	step INTEGER,
	value FLOAT,
	PRIMARY KEY (trial_value_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, step)
);
-- v1.3.0.a: batch_alter_table("trials") add_column("number").
CREATE TABLE IF NOT EXISTS "trials" (
	trial_id INTEGER NOT NULL,
	study_id INTEGER,
	state VARCHAR(8) NOT NULL,
	value FLOAT,
	datetime_start DATETIME,
	datetime_complete DATETIME, number INTEGER,
	PRIMARY KEY (trial_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);

INSERT INTO alembic_version VALUES ('v1.3.0.a');
INSERT INTO version_info VALUES (1, 12, '1.3.0');
INSERT INTO studies VALUES (1, 'old13', 'MINIMIZE');

INSERT INTO trials VALUES (1, 1, 'COMPLETE', 2.5, '2020-04-01 09:00:00.000000', '2020-04-01 09:01:00.000000', 0);
INSERT INTO trials VALUES (2, 1, 'COMPLETE', 1.25, '2020-04-01 09:02:00.000000', '2020-04-01 09:03:00.000000', 1);
INSERT INTO trials VALUES (3, 1, 'RUNNING', NULL, '2020-04-01 09:04:00.000000', NULL, 2);

INSERT INTO trial_params VALUES (1, 1, 'depth', 4.0, '{"name": "IntUniformDistribution", "attributes": {"low": 2, "high": 10, "step": 2}}');
INSERT INTO trial_params VALUES (2, 1, 'act', 2.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["relu", 1, true, 0.5]}}');
INSERT INTO trial_params VALUES (3, 2, 'depth', 10.0, '{"name": "IntUniformDistribution", "attributes": {"low": 2, "high": 10, "step": 2}}');
INSERT INTO trial_params VALUES (4, 2, 'act', 3.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["relu", 1, true, 0.5]}}');
INSERT INTO trial_params VALUES (5, 3, 'depth', 2.0, '{"name": "IntUniformDistribution", "attributes": {"low": 2, "high": 10, "step": 2}}');

INSERT INTO trial_values VALUES (1, 1, 1, 4.0);
INSERT INTO trial_values VALUES (2, 1, 2, 2.5);
INSERT INTO trial_values VALUES (3, 2, 1, 3.0);
INSERT INTO trial_values VALUES (4, 2, 3, 1.25);
INSERT INTO trial_values VALUES (5, 3, 1, 5.0);
