import assert from 'node:assert/strict';
import { scrubEngineMessage } from '../../../shared/privacy/scrubEngineMessage';

/** Messages as DuckDB 1.5.6 and Athena wrote them for a row holding "secret-ann" / ann@secret.org. */
const CSV_LATE_ROW = `Conversion Error: CSV Error on Line: 30002
Original Line: secret-ann,ann@secret.org
Error when converting column "id". Could not convert string "secret-ann" to 'BIGINT'

  file = /tmp/h9probe/late.csv
  sample_size = 20480`;
const JSON_LATE_LINE = `Invalid Input Error: JSON transform error in file "/tmp/lake/late.jsonl", in line 30001: Failed to cast value to numerical: "secret-ann"
Try increasing 'sample_size'`;
const ATHENA_BAD_DATA = "HIVE_BAD_DATA: Error parsing field value 'ann@secret.org' for field 1: For input string: \"ann@secret.org\"";

describe('scrubEngineMessage', () => {
  it('keeps the first line and the engine words, drops every quoted value and the offending line', () => {
    assert.equal(scrubEngineMessage(CSV_LATE_ROW), 'Conversion Error: CSV Error on Line: 30002');
    assert.equal(scrubEngineMessage(JSON_LATE_LINE), 'Invalid Input Error: JSON transform error in file <file>, in line 30001: Failed to cast value to numerical: <value>');
    assert.equal(scrubEngineMessage(ATHENA_BAD_DATA), 'HIVE_BAD_DATA: Error parsing field value <value> for field 1: For input string: <value>');
    assert.equal(scrubEngineMessage("Could not convert string 'x' to 'BIGINT'"), "Could not convert string <value> to 'BIGINT'");
  });
});
