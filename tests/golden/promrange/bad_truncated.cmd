promrange promrange/truncated.json
