-- An Optuna RDB storage at schema revision v1.2.0.a, written by hand for
-- rung's tests from Optuna's alembic migrations v0.9.0.a and v1.2.0.a:
-- the direction is a column of studies, the objective value a column of
-- trials, the intermediate values are trial_values(trial_id, step, value),
-- and a trial's number is the system attribute "_number".
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
CREATE TABLE trials (
	trial_id INTEGER NOT NULL,
	study_id INTEGER,
	state VARCHAR(8) NOT NULL,
	value FLOAT,
	datetime_start DATETIME,
	datetime_complete DATETIME,
	PRIMARY KEY (trial_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
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

INSERT INTO alembic_version VALUES ('v1.2.0.a');
INSERT INTO version_info VALUES (1, 12, '1.2.0');
INSERT INTO studies VALUES (1, 'old12', 'MAXIMIZE');
INSERT INTO studies VALUES (2, 'old12-empty', 'MINIMIZE');

-- trial_id 1 is number 1 and trial_id 2 number 0: rung lists by number.
INSERT INTO trials VALUES (1, 1, 'COMPLETE', 0.875, '2020-02-10 10:00:01.000000', '2020-02-10 10:00:09.000000');
INSERT INTO trials VALUES (2, 1, 'PRUNED', 0.25, '2020-02-10 10:00:00.000000', '2020-02-10 10:00:05.000000');
INSERT INTO trials VALUES (3, 1, 'FAIL', NULL, '2020-02-10 10:00:10.000000', '2020-02-10 10:00:11.000000');
INSERT INTO trials VALUES (4, 1, 'WAITING', NULL, NULL, NULL);
INSERT INTO trial_system_attributes VALUES (1, 1, '_number', '1');
INSERT INTO trial_system_attributes VALUES (2, 2, '_number', '0');
INSERT INTO trial_system_attributes VALUES (3, 3, '_number', '2');
INSERT INTO trial_system_attributes VALUES (4, 4, '_number', '3');
INSERT INTO trial_system_attributes VALUES (5, 2, 'completed_rung_0', '0.25');

INSERT INTO trial_params VALUES (1, 1, 'x', 0.125, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (2, 1, 'lr', 0.001, '{"name": "LogUniformDistribution", "attributes": {"low": 0.0001, "high": 1.0}}');
INSERT INTO trial_params VALUES (3, 1, 'k', 3.0, '{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 9}}');
INSERT INTO trial_params VALUES (4, 1, 'opt', 1.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["adam", "sgd"]}}');
INSERT INTO trial_params VALUES (5, 2, 'x', -0.5, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (6, 2, 'lr', 0.05, '{"name": "LogUniformDistribution", "attributes": {"low": 0.0001, "high": 1.0}}');
INSERT INTO trial_params VALUES (7, 2, 'k', 9.0, '{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 9}}');
INSERT INTO trial_params VALUES (8, 2, 'opt', 0.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["adam", "sgd"]}}');
INSERT INTO trial_params VALUES (9, 3, 'x', 0.75, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');

INSERT INTO trial_values VALUES (1, 1, 0, 0.5);
INSERT INTO trial_values VALUES (2, 1, 1, 0.75);
INSERT INTO trial_values VALUES (3, 1, 2, 0.875);
INSERT INTO trial_values VALUES (4, 2, 0, 0.25);
INSERT INTO trial_values VALUES (5, 3, 0, 0.125);
