-- The prepared copy of an instance's seed state, kept where the application's user cannot see it:
-- the control database `_devdb` (these tables and procedures), a template of every seed database
-- (`_devdb_t_N`, never changed) and a spare (`_devdb_s_N`) that a reset renames into place. devdb
-- runs this script as root right after the seeds, then fills the seed_* tables and calls
-- make_templates() and prepare(). Nothing here is binary-logged.
SET SESSION sql_log_bin = 0;
SET SESSION foreign_key_checks = 0;
DROP DATABASE IF EXISTS `_devdb`;
CREATE DATABASE `_devdb` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
-- Markers, each written last: template = ready | unsupported: REASON;
-- spare = ready | making | consumed | failed: REASON.
CREATE TABLE `_devdb`.`state` (k VARCHAR(32) NOT NULL PRIMARY KEY, v TEXT NOT NULL) ENGINE=InnoDB;
-- The seed databases; options: SHOW CREATE DATABASE after the name.
CREATE TABLE `_devdb`.`seed_db` (pos INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL,
  options TEXT NOT NULL) ENGINE=InnoDB;
-- Their tables; definition: SHOW CREATE TABLE after the name; column_list: the columns to copy.
CREATE TABLE `_devdb`.`seed_table` (db_pos INT NOT NULL, pos INT NOT NULL, name VARCHAR(64) NOT NULL,
  definition LONGTEXT NOT NULL, column_list LONGTEXT NOT NULL, PRIMARY KEY (db_pos, pos)) ENGINE=InnoDB;
-- Their views, routines, triggers and events, as SHOW CREATE gives them, in creation order.
CREATE TABLE `_devdb`.`seed_object` (db_pos INT NOT NULL, pos INT NOT NULL, kind VARCHAR(16) NOT NULL,
  name VARCHAR(64) NOT NULL, create_stmt LONGTEXT NOT NULL, sql_mode TEXT NOT NULL,
  cs_client VARCHAR(64) NOT NULL, coll_conn VARCHAR(64) NOT NULL, time_zone VARCHAR(64) NOT NULL,
  PRIMARY KEY (db_pos, pos)) ENGINE=InnoDB;
-- The statements of a reset that come after reset_begin(), in order (the views, routines, triggers and
-- events created again), for a client that sends them one by one over the protocol.
CREATE TABLE `_devdb`.`reset_statement` (pos INT NOT NULL PRIMARY KEY, statement LONGTEXT NOT NULL) ENGINE=InnoDB;
-- The grant tables copied as account_<table> at every start, after the instance's passwords are set.
-- Rows whose Db is a hidden database (where) are left as they are.
CREATE TABLE `_devdb`.`account_table` (name VARCHAR(64) NOT NULL PRIMARY KEY, `where` TEXT NOT NULL) ENGINE=InnoDB;
DELIMITER ;;
CREATE FUNCTION `_devdb`.`q`(s VARCHAR(200)) RETURNS VARCHAR(500) CHARSET utf8mb4
  DETERMINISTIC NO SQL
RETURN CONCAT('`', REPLACE(s, '`', '``'), '`');;

CREATE PROCEDURE `_devdb`.`run`(IN statement LONGTEXT)
  MODIFIES SQL DATA
BEGIN
  SET @devdb_sql = statement;
  PREPARE devdb_statement FROM @devdb_sql;
  EXECUTE devdb_statement;
  DEALLOCATE PREPARE devdb_statement;
END;;

-- Creates database p_target as seed database p_db, with its tables and their rows copied from p_source:
-- the tables first, then their rows in one transaction (one durable commit, not one a table).
CREATE PROCEDURE `_devdb`.`copy_tables`(IN p_db INT, IN p_source VARCHAR(64), IN p_target VARCHAR(64))
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_name VARCHAR(64);
  DECLARE v_definition LONGTEXT;
  DECLARE v_columns LONGTEXT;
  DECLARE v_options TEXT;
  DECLARE c CURSOR FOR SELECT name, definition, column_list FROM `_devdb`.`seed_table` WHERE db_pos = p_db ORDER BY pos;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  SET SESSION foreign_key_checks = 0;
  SELECT options INTO v_options FROM `_devdb`.`seed_db` WHERE pos = p_db;
  CALL `_devdb`.`run`(CONCAT('CREATE DATABASE ', `_devdb`.`q`(p_target), v_options));
  OPEN c;
  creating: LOOP
    FETCH c INTO v_name, v_definition, v_columns;
    IF v_done THEN
      LEAVE creating;
    END IF;
    CALL `_devdb`.`run`(CONCAT('CREATE TABLE ', `_devdb`.`q`(p_target), '.', `_devdb`.`q`(v_name), v_definition));
  END LOOP;
  CLOSE c;
  SET v_done = 0;
  START TRANSACTION;
  OPEN c;
  copying: LOOP
    FETCH c INTO v_name, v_definition, v_columns;
    IF v_done THEN
      LEAVE copying;
    END IF;
    IF v_columns <> '' THEN
      CALL `_devdb`.`run`(CONCAT('INSERT INTO ', `_devdb`.`q`(p_target), '.', `_devdb`.`q`(v_name), ' (', v_columns,
          ') SELECT ', v_columns, ' FROM ', `_devdb`.`q`(p_source), '.', `_devdb`.`q`(v_name)));
    END IF;
  END LOOP;
  CLOSE c;
  COMMIT;
END;;

-- A new database p_target with the tables, rows and AUTO_INCREMENT counters of seed database p_db
-- as they were right after up (views, routines, triggers and events are not made).
CREATE PROCEDURE `_devdb`.`copy_db`(IN p_db INT, IN p_target VARCHAR(64))
  MODIFIES SQL DATA
BEGIN
  IF COALESCE((SELECT v FROM `_devdb`.`state` WHERE k = 'template'), '') <> 'ready' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'devdb: the template of the seed state is not ready';
  END IF;
  CALL `_devdb`.`copy_tables`(p_db, CONCAT('_devdb_t_', p_db), p_target);
END;;

-- The templates, from the seed databases right after the seeds.
CREATE PROCEDURE `_devdb`.`make_templates`()
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_pos INT;
  DECLARE v_name VARCHAR(64);
  DECLARE c CURSOR FOR SELECT pos, name FROM `_devdb`.`seed_db` ORDER BY pos;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN c;
  making: LOOP
    FETCH c INTO v_pos, v_name;
    IF v_done THEN
      LEAVE making;
    END IF;
    CALL `_devdb`.`run`(CONCAT('DROP DATABASE IF EXISTS ', `_devdb`.`q`(CONCAT('_devdb_t_', v_pos))));
    CALL `_devdb`.`copy_tables`(v_pos, v_name, CONCAT('_devdb_t_', v_pos));
  END LOOP;
  CLOSE c;
  REPLACE INTO `_devdb`.`state` VALUES ('template', 'ready');
END;;

-- The spares, from the templates; the marker says ready when all are complete.
CREATE PROCEDURE `_devdb`.`prepare`()
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_pos INT;
  DECLARE c CURSOR FOR SELECT pos FROM `_devdb`.`seed_db` ORDER BY pos;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    GET DIAGNOSTICS CONDITION 1 @devdb_error = MESSAGE_TEXT;
    REPLACE INTO `_devdb`.`state` VALUES ('spare', CONCAT('failed: making the prepared copy failed: ', @devdb_error));
    DO RELEASE_LOCK('_devdb.prepare');
  END;
  IF COALESCE((SELECT v FROM `_devdb`.`state` WHERE k = 'template'), '') = 'ready'
      AND GET_LOCK('_devdb.prepare', 0) = 1 THEN
    REPLACE INTO `_devdb`.`state` VALUES ('spare', 'making');
    OPEN c;
    making: LOOP
      FETCH c INTO v_pos;
      IF v_done THEN
        LEAVE making;
      END IF;
      CALL `_devdb`.`run`(CONCAT('DROP DATABASE IF EXISTS ', `_devdb`.`q`(CONCAT('_devdb_s_', v_pos))));
      CALL `_devdb`.`copy_tables`(v_pos, CONCAT('_devdb_t_', v_pos), CONCAT('_devdb_s_', v_pos));
    END LOOP;
    CLOSE c;
    REPLACE INTO `_devdb`.`state` VALUES ('spare', 'ready');
    DO RELEASE_LOCK('_devdb.prepare');
  END IF;
END;;

-- Copies the grant tables, as they are now, to account_<table>.
CREATE PROCEDURE `_devdb`.`record_accounts`()
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_table VARCHAR(64);
  DECLARE c CURSOR FOR SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql'
      AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN ('user', 'global_priv', 'db', 'tables_priv', 'columns_priv',
      'procs_priv', 'proxies_priv', 'roles_mapping', 'role_edges', 'default_roles', 'global_grants',
      'password_history') ORDER BY TABLE_NAME;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  DELETE FROM `_devdb`.`account_table`;
  OPEN c;
  recording: LOOP
    FETCH c INTO v_table;
    IF v_done THEN
      LEAVE recording;
    END IF;
    CALL `_devdb`.`run`(CONCAT('DROP TABLE IF EXISTS `_devdb`.', `_devdb`.`q`(CONCAT('account_', v_table))));
    CALL `_devdb`.`run`(CONCAT('CREATE TABLE `_devdb`.', `_devdb`.`q`(CONCAT('account_', v_table)),
        ' ENGINE=InnoDB AS SELECT * FROM `mysql`.', `_devdb`.`q`(v_table)));
    INSERT INTO `_devdb`.`account_table` VALUES (v_table, IF(EXISTS (SELECT 1 FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = v_table AND COLUMN_NAME = 'Db'), ' WHERE LEFT(`Db`, 6) <> ''_devdb''', ''));
  END LOOP;
  CLOSE c;
  -- One statement gives a digest of all the grant tables' rows (those compared), and its value now.
  SET SESSION group_concat_max_len = 1073741824;
  SELECT CONCAT('SELECT CONCAT_WS(''/'', ', GROUP_CONCAT(CONCAT('(SELECT SHA2(COALESCE(GROUP_CONCAT(', e.expr, ' ORDER BY ',
      e.expr, ' SEPARATOR ''|''), ''''), 256) FROM `mysql`.', `_devdb`.`q`(a.name), a.`where`, ')') ORDER BY a.name
      SEPARATOR ', '), ') INTO @devdb_accounts')
    INTO @devdb_accounts_sql
    FROM `_devdb`.`account_table` a JOIN (SELECT TABLE_NAME AS name, CONCAT('CONCAT_WS('','', ',
      GROUP_CONCAT(CONCAT('QUOTE(', `_devdb`.`q`(COLUMN_NAME), ')') ORDER BY ORDINAL_POSITION SEPARATOR ', '), ')') AS expr
      FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'mysql' GROUP BY TABLE_NAME) e ON e.name = a.name;
  CALL `_devdb`.`run`(@devdb_accounts_sql);
  REPLACE INTO `_devdb`.`state` VALUES ('accounts_sql', @devdb_accounts_sql), ('accounts', @devdb_accounts);
END;;

-- The copies of the grant tables brought up to date in place: the same tables as recorded, emptied and
-- filled again, and the digest by the recorded statement. No DDL, which costs the server a few
-- milliseconds a table (MariaDB syncs its DDL log and the table's files): a start spends about a tenth
-- of record_accounts' time here. Tables whose copy does not take their rows any more (their columns
-- changed since they were recorded) are recorded anew.
CREATE PROCEDURE `_devdb`.`refresh_accounts`()
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_table VARCHAR(64);
  DECLARE c CURSOR FOR SELECT name FROM `_devdb`.`account_table` ORDER BY name;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  IF (SELECT COUNT(*) FROM `_devdb`.`account_table`) = 0
      OR (SELECT v FROM `_devdb`.`state` WHERE k = 'accounts_sql') IS NULL THEN
    CALL `_devdb`.`record_accounts`();
  ELSE
    BEGIN
      DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        ROLLBACK;
        CALL `_devdb`.`record_accounts`();
      END;
      START TRANSACTION;
      OPEN c;
      refreshing: LOOP
        FETCH c INTO v_table;
        IF v_done THEN
          LEAVE refreshing;
        END IF;
        CALL `_devdb`.`run`(CONCAT('DELETE FROM `_devdb`.', `_devdb`.`q`(CONCAT('account_', v_table))));
        CALL `_devdb`.`run`(CONCAT('INSERT INTO `_devdb`.', `_devdb`.`q`(CONCAT('account_', v_table)),
            ' SELECT * FROM `mysql`.', `_devdb`.`q`(v_table)));
      END LOOP;
      CLOSE c;
      SET SESSION group_concat_max_len = 1073741824;
      CALL `_devdb`.`run`((SELECT v FROM `_devdb`.`state` WHERE k = 'accounts_sql'));
      REPLACE INTO `_devdb`.`state` VALUES ('accounts', @devdb_accounts);
      COMMIT;
    END;
  END IF;
END;;

-- At every start from initialised data (the init file calls it, after the passwords are set): the
-- accounts as this instance has them; a spare that was being made when the data was saved is not used.
CREATE PROCEDURE `_devdb`.`on_start`()
  MODIFIES SQL DATA
BEGIN
  -- never an error: the init file that calls it must not stop the server (a replica's is read-only)
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;
    GET DIAGNOSTICS CONDITION 1 @devdb_error = MESSAGE_TEXT;
    REPLACE INTO `_devdb`.`state` VALUES ('spare', CONCAT('failed: recording the accounts failed: ', @devdb_error));
  END;
  CALL `_devdb`.`refresh_accounts`();
  UPDATE `_devdb`.`state` SET v = 'failed: the data was saved while the prepared copy was being made'
      WHERE k = 'spare' AND v IN ('making', 'consumed');
END;;

-- Whether the grant tables differ from their copies: their digest is not the one recorded.
CREATE PROCEDURE `_devdb`.`accounts_changed`(OUT p_changed INT)
  READS SQL DATA
BEGIN
  SET SESSION group_concat_max_len = 1073741824;
  CALL `_devdb`.`run`((SELECT v FROM `_devdb`.`state` WHERE k = 'accounts_sql'));
  SET p_changed = NOT (@devdb_accounts <=> (SELECT v FROM `_devdb`.`state` WHERE k = 'accounts'));
END;;

-- The grant tables back as they were recorded, and the server's in-memory copy of them reloaded.
CREATE PROCEDURE `_devdb`.`restore_accounts`()
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_table VARCHAR(64);
  DECLARE v_where TEXT;
  DECLARE c CURSOR FOR SELECT name, `where` FROM `_devdb`.`account_table`;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN c;
  restoring: LOOP
    FETCH c INTO v_table, v_where;
    IF v_done THEN
      LEAVE restoring;
    END IF;
    CALL `_devdb`.`run`(CONCAT('DELETE FROM `mysql`.', `_devdb`.`q`(v_table), v_where));
    CALL `_devdb`.`run`(CONCAT('INSERT INTO `mysql`.', `_devdb`.`q`(v_table), ' SELECT * FROM `_devdb`.',
        `_devdb`.`q`(CONCAT('account_', v_table)), v_where));
  END LOOP;
  CLOSE c;
  FLUSH PRIVILEGES;
END;;

-- The first half of a reset, up to the objects the client creates: waits until the spare is complete
-- (at most p_wait seconds), or says why the reset must restart the server instead, with an error whose
-- message starts with "devdb-fallback: " (nothing is changed then). Otherwise ends every other
-- client's connection, restores the accounts, drops the databases created since up, and renames the
-- spare's tables into new, empty seed databases.
CREATE PROCEDURE `_devdb`.`reset_begin`(IN p_wait INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_id BIGINT;
  DECLARE v_name VARCHAR(64);
  DECLARE v_state TEXT;
  DECLARE v_changed INT;
  DECLARE v_renames LONGTEXT;
  DECLARE v_deadline DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL p_wait SECOND;
  DECLARE threads CURSOR FOR SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()
      AND USER NOT IN ('system user', 'event_scheduler') AND COMMAND NOT IN ('Daemon', 'Binlog Dump',
      'Binlog Dump GTID');
  DECLARE extra CURSOR FOR SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN
      ('mysql', 'information_schema', 'performance_schema', 'sys') AND LEFT(SCHEMA_NAME, 6) <> '_devdb'
      AND SCHEMA_NAME NOT IN (SELECT name FROM `_devdb`.`seed_db`);
  DECLARE seeds CURSOR FOR SELECT name FROM `_devdb`.`seed_db` ORDER BY pos;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  SET @devdb_started = SYSDATE(6);
  SET v_state = COALESCE((SELECT v FROM `_devdb`.`state` WHERE k = 'template'), 'missing');
  IF v_state <> 'ready' THEN
    SET v_state = CONCAT('devdb-fallback: ', IF(v_state = 'missing', 'the prepared copy was never made', v_state));
    SET v_state = LEFT(v_state, 128);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_state;
  END IF;
  waiting: LOOP
    SET v_state = COALESCE((SELECT v FROM `_devdb`.`state` WHERE k = 'spare'), 'missing');
    IF v_state = 'ready' THEN
      LEAVE waiting;
    END IF;
    IF v_state NOT IN ('making', 'consumed') THEN
      SET v_state = CONCAT('devdb-fallback: the prepared copy is not usable (', v_state, ')');
      SET v_state = LEFT(v_state, 128);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_state;
    END IF;
    IF SYSDATE(6) > v_deadline THEN
      SET v_state = CONCAT('devdb-fallback: the prepared copy was not made again within ', p_wait, ' s');
      SET v_state = LEFT(v_state, 128);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_state;
    END IF;
    DO SLEEP(0.005);
  END LOOP;
  SET @devdb_t0 = SYSDATE(6);
  SET SESSION foreign_key_checks = 0, SESSION group_concat_max_len = 1073741824;
  BEGIN
    DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END; -- gone already
    OPEN threads;
    killing: LOOP
      FETCH threads INTO v_id;
      IF v_done THEN
        LEAVE killing;
      END IF;
      CALL `_devdb`.`run`(CONCAT('KILL CONNECTION ', v_id));
    END LOOP;
    CLOSE threads;
  END;
  SET v_done = 0;
  CALL `_devdb`.`accounts_changed`(v_changed);
  IF v_changed THEN
    CALL `_devdb`.`restore_accounts`();
  END IF;
  SET @devdb_accounts = v_changed;
  OPEN extra;
  dropping: LOOP
    FETCH extra INTO v_name;
    IF v_done THEN
      LEAVE dropping;
    END IF;
    CALL `_devdb`.`run`(CONCAT('DROP DATABASE ', `_devdb`.`q`(v_name)));
  END LOOP;
  CLOSE extra;
  SET v_done = 0;
  UPDATE `_devdb`.`state` SET v = 'consumed' WHERE k = 'spare';
  OPEN seeds;
  recreating: LOOP
    FETCH seeds INTO v_name;
    IF v_done THEN
      LEAVE recreating;
    END IF;
    CALL `_devdb`.`run`(CONCAT('DROP DATABASE IF EXISTS ', `_devdb`.`q`(v_name)));
    CALL `_devdb`.`run`((SELECT CONCAT('CREATE DATABASE ', `_devdb`.`q`(name), options) FROM `_devdb`.`seed_db`
        WHERE name = v_name));
  END LOOP;
  CLOSE seeds;
  SELECT GROUP_CONCAT(CONCAT(`_devdb`.`q`(CONCAT('_devdb_s_', d.pos)), '.', `_devdb`.`q`(t.name), ' TO ',
      `_devdb`.`q`(d.name), '.', `_devdb`.`q`(t.name)) ORDER BY d.pos, t.pos SEPARATOR ', ') INTO v_renames
      FROM `_devdb`.`seed_table` t JOIN `_devdb`.`seed_db` d ON d.pos = t.db_pos;
  IF v_renames IS NOT NULL THEN
    CALL `_devdb`.`run`(CONCAT('RENAME TABLE ', v_renames));
  END IF;
END;;

-- The last statement of a reset: its time inside the server, in microseconds, and whether the
-- accounts were restored.
CREATE PROCEDURE `_devdb`.`reset_end`()
  READS SQL DATA
BEGIN
  SELECT 'devdb-reset', TIMESTAMPDIFF(MICROSECOND, @devdb_t0, SYSDATE(6)),
      TIMESTAMPDIFF(MICROSECOND, @devdb_started, @devdb_t0), @devdb_accounts;
END;;
DELIMITER ;
