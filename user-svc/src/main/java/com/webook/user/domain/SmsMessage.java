package com.webook.user.domain;

import java.util.List;

/**
 * One text message to send: a provider template, its positional arguments and the recipients.
 *
 * @param tplId the provider's template id
 * @param args template arguments, in order
 * @param numbers recipient phone numbers
 */
public record SmsMessage(String tplId, List<String> args, List<String> numbers) {
  public SmsMessage {
    args = List.copyOf(args);
    numbers = List.copyOf(numbers);
  }
}
